"""The emulator's fixtures (atrest_emulator/fixtures.py): endpoint, client, request_log."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from atrest_emulator.fixtures import *  # noqa: E402,F401,F403
