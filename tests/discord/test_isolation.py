"""Only bot.discord_bot imports discord: the core and the other verbs never load it."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import contextlib, io, sys
import bot.cli, bot.console, bot.engine, bot.router, bot.render_text
with contextlib.redirect_stdout(io.StringIO()):
    bot.cli.main(["ask", "who runs Kata'ib Hezbollah?"])
    bot.cli.main(["source"])
print(sorted(m for m in sys.modules if m == "discord" or m.startswith("discord.")))
"""


def test_core_and_other_verbs_never_import_discord():
    result = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
