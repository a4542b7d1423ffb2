import argparse
import os
import signal
import sys

from werkzeug.serving import run_simple


def main(argv=None):
    parser = argparse.ArgumentParser(prog="atrest_emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args(argv)
    # Must be set before moto's EC2 backend is imported: the default AMIs make DescribeSnapshots
    # return hundreds of public snapshots and slow every reset.
    os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
    os.environ.setdefault("MOTO_PORT", str(args.port))
    from .app import build_app

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    run_simple(args.host, args.port, build_app(), threaded=True, use_reloader=False)


if __name__ == "__main__":
    main()
