"""`python -m bot` is the same as the `briefbot` command."""

import sys

from .cli import main

sys.exit(main())
