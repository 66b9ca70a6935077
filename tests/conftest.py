"""Shared fixtures: the real corpus, located the way the course locates it."""

import pytest

from bigram_lib import load_corpus


@pytest.fixture(scope="session")
def corpus():
    """Tiny shakespeare, tokenized and split (needs $BIGRAM_DATA offline)."""
    return load_corpus(progress=False)
