#!/usr/bin/env python
"""Django's command-line utility for administrative tasks (same as the `linli` command)."""

from linli.manage import main

if __name__ == "__main__":
    main()
