"""`python -m bench.register`: see bench/register/__init__.py, or `--help`."""

import sys

from bench.register.run import main

sys.exit(main())
