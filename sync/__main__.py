"""`python -m sync`: queue, push and pull fieldapp records from a terminal.

How a collection point's laptop relays records and how records typed from paper are uploaded
in bulk. Output for people goes to stdout, errors as one line to stderr, the progress bar to
stderr (only on a terminal, or with --progress).
"""
import argparse
import getpass
import json
import os
import socket
import sqlite3
import sys
import textwrap

from .client import RECORD_TYPES, SyncClient, SyncError
from .jsonl import BadLines, read_file

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_ATTENTION = 0, 1, 2, 3
SHOWN_PROBLEMS = 50

DESCRIPTION = """\
Relay and upload fieldapp records. Records are queued in a local outbox file, pushed to the
server in batches, and kept until the server's receipt for each arrives, so a push cut off by
the network is simply run again: nothing is lost or stored twice."""

EPILOG = """\
typical use at a collection point:
  python -m sync --server https://bhxh.example.vn pair collector1
  python -m sync enqueue visits.jsonl
  python -m sync push
  python -m sync pull

exit codes: 0 done; 1 failed (the reason is on stderr); 2 wrong usage;
            3 pushed, but some records need attention (rejected or conflict)
environment: FIELDAPP_SERVER, FIELDAPP_OUTBOX (defaults for --server, --outbox);
             LANG starting with "vi" asks the server for Vietnamese messages"""

ENQUEUE_HELP = """\
One record per line, as JSON: {{"type": ..., "data": {{...}}}} with optional "id" (a UUID),
"version" (the version an edit is based on; 0 or absent for a new record) and "client_time"
(ISO 8601 with an offset; default: now).
Types: {}.
The "data" fields are those of the app's forms (docs/records.md). Every line is checked first: if
any line is bad, each bad line is named and nothing is queued. A record without an id gets one
made from its content, so queuing the same file again never duplicates anything; give an id to
records that other lines refer to (a person's "household") or that you will edit later.

example lines:
  {{"id": "0b7e7f0e-5d1a-4c3e-9a39-2f6b1c8d4e01", "type": "household", "data": {{"area":
   "31001-1", "address": "Số 12, thôn Đông", "head_name": "Nguyễn Văn An"}}}}
  {{"type": "person", "data": {{"household": "0b7e7f0e-5d1a-4c3e-9a39-2f6b1c8d4e01",
   "full_name": "Nguyễn Văn An", "birth_date": "1980-04-02", "sex": "male"}}}}""".format(", ".join(
    RECORD_TYPES))


def _common(parser, suppress):
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--server", metavar="URL", default=default if suppress else
                        os.environ.get("FIELDAPP_SERVER"),
                        help="server address, e.g. https://bhxh.example.vn (saved when pairing)")
    parser.add_argument("--outbox", metavar="PATH", default=default if suppress else
                        os.environ.get("FIELDAPP_OUTBOX", ".outbox.db"),
                        help="local outbox file (default ./.outbox.db)")
    parser.add_argument("--retries", type=int, metavar="N", default=default if suppress else 6,
                        help="times to retry when the server is unreachable or busy "
                             "(default 6, about a minute with backoff; 0 fails at once)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--progress", dest="progress", action="store_true",
                       default=default if suppress else None,
                       help="show a progress bar even when stderr is not a terminal")
    group.add_argument("--no-progress", dest="progress", action="store_false",
                       default=argparse.SUPPRESS, help="never show a progress bar")


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m sync", description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    _common(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name, summary, description=None):
        p = sub.add_parser(name, help=summary, description=textwrap.fill(
                               description, 92) if description and "\n" not in description
                           else description or summary,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        _common(p, suppress=True)
        return p

    p = command("pair", "sign this computer in as a device of USERNAME (once)",
                "Sign this computer in as a device. The password is asked for (or read from "
                "the first line of standard input when that is not a terminal); the device "
                "token is kept in the outbox file.")
    p.add_argument("username")
    p.add_argument("--device-name", default=socket.gethostname(),
                   help="how the device is listed for supervisors (default: this host's name)")
    p = command("enqueue", "queue records from a JSON Lines file", ENQUEUE_HELP)
    p.add_argument("file", metavar="FILE.jsonl", help="the records, or - for standard input")
    p = command("push", "send waiting records to the server, in batches of up to 500",
                "Send every waiting record. Network errors and busy servers are retried with "
                "backoff; whatever the server receipted stays done if it still fails, so run "
                "push again. Ends with a summary: accepted, duplicate, and the records that "
                "need attention with the server's reasons.")
    p.add_argument("--batch-size", type=int, default=500, metavar="N",
                   help="records per request, 1-500 (default 500)")
    p = command("pull", "download changes visible to this device into the outbox file",
                "Follow the server's change feed from where the last pull stopped; each page "
                "is saved with its cursor, so an interrupted pull resumes.")
    p.add_argument("--limit", type=int, default=500, metavar="N",
                   help="changes per page, 1-1000 (default 500)")
    p = command("status", "show the device, what is waiting and what needs attention",
                "Show what the outbox file holds. Reads the local file only.")
    p.add_argument("--all", action="store_true", help="list every record needing attention")
    p.add_argument("--json", action="store_true", help="print the status as JSON")
    p = command("discard", "drop records that need attention from the outbox",
                "Drop records the server rejected or found in conflict (what they hold was "
                "not stored on the server). Use it after fixing lines of a file: discard the old "
                "copies, enqueue the fixed file again, push. Dropping an edit puts the server's "
                "copy back: a conflict's current copy, or the one last pulled; an edit of a "
                "record this device may no longer see also drops its local copy.")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("ids", nargs="*", default=[], metavar="ID",
                       help="ids of the records to drop")
    which.add_argument("--all", action="store_true", help="every record needing attention")
    p = command("logout", "sign this device out on the server (the outbox stays)",
                "Revoke this device's token. Refused while records are not on the server "
                "yet, unless --force.")
    p.add_argument("--force", action="store_true",
                   help="sign out even though records are waiting (they stay in the file)")
    return parser


def _language():
    value = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG")
    return "vi" if (value or "").lower().startswith("vi") else "en"


def _bar(args, total, unit, desc):
    from tqdm import tqdm

    show = args.progress if args.progress is not None else sys.stderr.isatty()
    return tqdm(total=total, unit=unit, desc=desc, file=sys.stderr, disable=not show,
                dynamic_ncols=True, leave=False)


def _n(count, word):
    plural = word + ("es" if word.endswith(("s", "ch")) else "s")
    return f"{count:,} {word if count == 1 else plural}"


def _where(problem):
    return problem.get("source") or f"{problem['type']} {problem['id']}"


def cmd_pair(client, args):
    if sys.stdin.isatty():
        password = getpass.getpass(f"Password for {args.username}: ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    old = client.store.get("user") or {}
    user = client.pair(args.username, password, args.device_name)
    areas = ", ".join(user.get("areas") or []) or "none"
    print(f"Paired as {user.get('username')} ({user.get('full_name') or '-'}, "
          f"{user.get('role')}; areas {areas}) with {client.base_url}.")
    depth = client.store.depth()
    if depth and old.get("username") not in (None, user.get("username")):
        print(f"Note: {_n(depth, 'record')} queued while {old['username']} was paired will be "
              f"pushed as {user.get('username')}.")
    return EXIT_OK


def cmd_enqueue(client, args):
    try:
        records = read_file(args.file, RECORD_TYPES)
    except OSError as exc:
        raise SyncError(f"cannot read {args.file}: {exc.strerror}") from None
    except BadLines as exc:
        for number, message in exc.problems[:SHOWN_PROBLEMS]:
            print(f"{exc.name} line {number}: {message}", file=sys.stderr)
        if len(exc.problems) > SHOWN_PROBLEMS:
            print(f"... and {len(exc.problems) - SHOWN_PROBLEMS} more", file=sys.stderr)
        print(f"error: nothing was queued: fix the {_n(len(exc.problems), 'bad line')} above "
              "and enqueue the file again", file=sys.stderr)
        return EXIT_FAILED
    counts = client.enqueue(records)
    extra = [f"{counts[k]:,} {label}" for k, label in (
        ("replaced", "replaced a waiting copy"), ("requeued", "needed attention and wait again"),
        ("unchanged", "were already waiting"), ("synced", "were already synced")) if counts[k]]
    print(f"Queued {_n(counts['queued'], 'record')} from {args.file}"
          + (f" ({'; '.join(extra)})" if extra else "") + ".")
    status = client.store.counts()
    print(f"Outbox: {status['waiting']:,} waiting, {status['needs_attention']:,} need attention. "
          "Run `python -m sync push` to send them.")
    return EXIT_OK


def print_problems(problems, limit=SHOWN_PROBLEMS):
    for problem in problems[:limit]:
        print(f"  {_where(problem)} ({problem['type']} {problem['id']}): "
              f"{problem['status']}: {problem['detail']}")
    if len(problems) > limit:
        print(f"  ... and {len(problems) - limit:,} more (python -m sync status --all)")


def cmd_push(client, args):
    client.batch_size = max(1, min(args.batch_size, 500))
    waiting = client.store.counts()["waiting"]
    if not waiting:
        attention = client.store.counts()["needs_attention"]
        print("Nothing to push: no records are waiting."
              + (f" {_n(attention, 'record')} need attention (python -m sync status)."
                 if attention else ""))
        return EXIT_ATTENTION if attention else EXIT_OK
    with _bar(args, waiting, "rec", "push") as bar:
        summary = client.push(progress=bar.update)
    print(f"Pushed {_n(summary.accepted + summary.duplicate + summary.needs_attention, 'record')}"
          f" in {_n(summary.batches, 'batch')}: {summary.accepted:,} accepted, "
          f"{summary.duplicate:,} duplicate (already on the server), {summary.rejected:,} "
          f"rejected, {summary.conflict:,} conflict.")
    if summary.problems:
        print("Needs attention. To send them again: fix these lines, drop the old copies with "
              "`python -m sync discard --all`, enqueue the file again and push.")
        print_problems(summary.problems)
        return EXIT_ATTENTION
    return EXIT_OK


def cmd_pull(client, args):
    if not 1 <= args.limit <= 1000:
        raise SyncError("--limit must be between 1 and 1000")
    with _bar(args, None, "change", "pull") as bar:
        summary = client.pull(limit=args.limit, progress=bar.update)
    held = client.store.counts()["records"]
    local = ", ".join(f"{n:,} {t}" for t, n in held.items()) or "nothing"
    if summary.reset:
        print("This user's areas changed on the server: the local copy was replaced.")
    print(f"Pulled {_n(summary.changes, 'change')} in {_n(summary.pages, 'page')}: "
          f"{summary.stored:,} stored, {summary.deleted:,} removed. Local copy: {local}.")
    return EXIT_OK


def cmd_status(client, args):
    status = client.status(attention_limit=None if args.all or args.json else 20)
    if args.json:
        print(json.dumps(status, ensure_ascii=False, indent=2))
        return EXIT_OK
    user = status["user"] or {}
    print(f"Server:  {status['server'] or 'not set'}")
    if status["paired"]:
        print(f"Device:  {status['device_name']} ({status['device_id']}), paired as "
              f"{user.get('username')} ({user.get('role')}; areas "
              f"{', '.join(user.get('areas') or []) or 'none'})")
    else:
        print("Device:  not paired (python -m sync pair USERNAME)")
    print(f"Outbox:  {status['waiting']:,} waiting, {status['needs_attention']:,} need attention")
    print(f"Synced:  {_n(status['receipts'], 'receipt')}; last push "
          f"{status['last_push_at'] or 'never'}")
    local = ", ".join(f"{n:,} {t}" for t, n in status["records"].items()) or "nothing"
    print(f"Pulled:  {local}; last pull {status['last_pull_at'] or 'never'}")
    if status["attention"]:
        print("Needs attention:")
        problems = [dict(p, detail=p["message"] or "") for p in status["attention"]]
        print_problems(problems, limit=len(problems))
        if not args.all and status["needs_attention"] > len(problems):
            print(f"  ... and {status['needs_attention'] - len(problems):,} more (--all)")
    return EXIT_OK


def cmd_discard(client, args):
    dropped = client.discard(None if args.all else args.ids)
    print(f"Dropped {_n(dropped, 'record')} needing attention.")
    if not args.all and dropped < len(set(args.ids)):
        print("Records that are waiting or unknown were left alone.")
    return EXIT_OK


def cmd_logout(client, args):
    client.logout(force=args.force)
    depth = client.store.depth()
    print("Signed out." + (f" {_n(depth, 'record')} stay in {args.outbox}; pair again to "
                           "push them." if depth else ""))
    return EXIT_OK


COMMANDS = {"pair": cmd_pair, "enqueue": cmd_enqueue, "push": cmd_push, "pull": cmd_pull,
            "status": cmd_status, "discard": cmd_discard, "logout": cmd_logout}


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.command == "pair" and not (args.server or os.path.exists(args.outbox)):
        print("error: pass --server URL: the address of the fieldapp server", file=sys.stderr)
        return EXIT_USAGE
    try:
        client = SyncClient(args.server, args.outbox, retries=max(0, args.retries),
                            language=_language())
    except (OSError, sqlite3.Error) as exc:
        print(f"error: cannot open the outbox file {args.outbox}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    try:
        with client:
            return COMMANDS[args.command](client, args)
    except SyncError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("\ninterrupted: every receipt so far is saved; run the command again to go on",
              file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
