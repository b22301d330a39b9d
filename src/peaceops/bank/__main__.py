"""``python -m peaceops.bank``: validate the question bank and print a summary."""

from peaceops.bank.questions import main

raise SystemExit(main())
