"""`python -m bigram_lib` runs the notes' MAIN section."""

import sys

from .course.cli import main

sys.exit(main())
