"""``python -m peaceops.data``: validate every table of data/ and print a summary."""

from peaceops.data.tables import main

raise SystemExit(main())
