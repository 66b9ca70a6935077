"""`python -m bigram_lib` runs the notes' MAIN section."""

import sys

from .cli import main

sys.exit(main())
