"""`doudi demo` and `doudi manage` (interfaces.md).

The server is waitress: a production WSGI server in pure Python (no compiler, runs the same on
Linux, macOS and Windows), multi-threaded, without the autoreloader and debug behaviour of
Django's runserver, which Django documents as not for production use.
"""

from __future__ import annotations

import argparse
import os
import sys


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doudi.web.settings")
    import django

    django.setup()


def _ensure_home() -> None:
    from doudi.web.settings import data_home

    data_home().mkdir(parents=True, exist_ok=True)


def cmd_demo(args: argparse.Namespace) -> int:
    _ensure_home()
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    db = settings.DATABASES["default"]
    print(f"数据库：{db['NAME']}（{db['ENGINE'].rsplit('.', 1)[1]}）")
    from django.db.utils import OperationalError

    try:
        call_command("migrate", interactive=False, verbosity=0)
    except OperationalError as exc:
        where = "DOUDI_PG_URL" if "postgresql" in db["ENGINE"] else "DOUDI_HOME"
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"doudi: {where}: cannot open the database {db['NAME']} ({first}); expected a reachable, "
              "writable database", file=sys.stderr)
        return 2
    from doudi.web import demo

    report = demo.populate(stdout=sys.stdout)
    print(report)
    if args.no_serve:
        return 0
    return serve(args.host, args.port)


def serve(host: str, port: int) -> int:
    from waitress import serve as waitress_serve

    from doudi.web.wsgi import application

    print(f"兜底正在 http://{host}:{port}/ 运行，按 Ctrl+C 停止。", flush=True)
    try:
        waitress_serve(application, host=host, port=port, threads=8, ident="doudi")
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        print(f"doudi: --port {port}: cannot listen on {host}:{port} ({exc.strerror or exc}); "
              "expected a free port, e.g. --port 8001", file=sys.stderr)
        return 2
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    _ensure_home()
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["doudi manage", *args.args])
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    d = subparsers.add_parser("demo", help="create the demo database and users, then serve the web application")
    d.add_argument("--no-serve", action="store_true", help="do everything but serve")
    d.add_argument("--port", type=int, default=8000, help="port to serve on (default 8000)")
    d.add_argument("--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1)")
    d.set_defaults(func=cmd_demo)

    m = subparsers.add_parser("manage", help="run a Django management command (migrate, createsuperuser, …)",
                              add_help=False)
    m.add_argument("args", nargs=argparse.REMAINDER)
    m.set_defaults(func=cmd_manage)
