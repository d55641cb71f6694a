"""QMS Desktop: the product without a screen (no Qt imports here, ever)."""

import sys
from importlib.machinery import ModuleSpec
from types import FrameType

APP_NAME = "QMS Desktop"
APP_ID = "qms-desktop"
__version__ = "0.1.0"


class _PeeweeLoadsWithoutPsycopg:
    """peewee imports psycopg as it loads whenever psycopg is installed: a third of every
    command's import time, for a server that a file never uses. That one import is refused;
    the server module imports psycopg itself and hands it to peewee (server.py)."""

    @staticmethod
    def find_spec(name: str, path: object = None, target: object = None) -> ModuleSpec | None:
        if name != "psycopg":
            return None
        frame: FrameType | None = sys._getframe(1)
        while frame is not None:
            if frame.f_code.co_name == "<module>" and frame.f_globals.get("__name__") == "peewee":
                raise ModuleNotFoundError("psycopg is loaded only for a server", name=name)
            frame = frame.f_back
        return None


if "peewee" not in sys.modules:
    sys.meta_path.insert(0, _PeeweeLoadsWithoutPsycopg())
