"""Retrieval: passages ranked for a question, and whether the best of them answers it.

Modules, in the order a question meets them:

- ``analysis``: tokens for passages and questions (folded, stemmed, stop words out, actor tokens);
- ``lexicon``: document frequencies and the one IDF used for ranking, coverage and highlights;
- ``query``: the question as query terms (typed, corrected, alias, actor), built by named steps;
- ``scorer``: the BM25 scorer behind a small ``Scorer`` interface (rank-bm25 by default);
- ``fusion``: z-score convex combination of BM25 and embedding cosines (semantic mode);
- ``answerability``: the decline rule, every threshold in one ``Thresholds`` object;
- ``postings``: token rows as compressed sparse arrays (passages and sentences);
- ``state``: everything the retriever derives from the passages, in the form kept on disk;
- ``highlight``: the best sentence of a passage;
- ``retriever``: ties them together into ranked ``Hit`` objects.
"""

from .analysis import Analyzer, PassageTokens, tokenize_passages
from .answerability import Thresholds, is_answerable
from .highlight import opens_with_reference, sentence_text
from .lexicon import Lexicon, idf
from .query import Query, QueryTerm
from .retriever import Hit, Retriever
from .scorer import Scorer, build_scorer

__all__ = [
    "Analyzer",
    "Hit",
    "Lexicon",
    "PassageTokens",
    "Query",
    "QueryTerm",
    "Retriever",
    "Scorer",
    "Thresholds",
    "build_scorer",
    "idf",
    "is_answerable",
    "opens_with_reference",
    "sentence_text",
    "tokenize_passages",
]
