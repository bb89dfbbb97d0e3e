"""``python -m rcsgraph.cli``: the same as the ``rcsgraph`` command."""

import sys

from rcsgraph.cli import main

sys.exit(main())
