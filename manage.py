#!/usr/bin/env python
from frontstage.cli import main

if __name__ == "__main__":
    main()
