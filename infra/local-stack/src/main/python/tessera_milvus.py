"""Runs Milvus Lite for the Tessera local stack, and probes it.

    python tessera_milvus.py server --data-dir DIR --host 127.0.0.1 --port 19530
    python tessera_milvus.py probe --host 127.0.0.1 --port 19530 [--timeout 2]

Why a wrapper instead of the `milvus-lite` script: Milvus Lite shuts down cleanly (drains requests,
closes its write-ahead log) only on KeyboardInterrupt. A process started in the background inherits
SIGINT as *ignored*, and Python then never raises KeyboardInterrupt; an unclean stop (SIGTERM, kill)
can corrupt the write-ahead log and lose rows. So the wrapper restores the default SIGINT handler and
turns SIGTERM into the same clean shutdown.

It also makes Milvus Lite survive a crash while it writes an index sidecar (see _rebuild_unreadable_sidecars).
"""

import argparse
import signal
import sys


def _raise_keyboard_interrupt(signum, frame):
    raise KeyboardInterrupt()


def _rebuild_unreadable_sidecars():
    """Milvus Lite writes a segment's index sidecar (*.idx, *.sidx) in place, not through a temporary file, so a
    kill -9 in the middle leaves a truncated file; every later load of the collection then fails ("No data left in
    file") and the collection is unusable until someone deletes the file. A sidecar is derived data (the segment holds
    the vectors), so an unreadable one is removed and built again from the segment. Patched here because Milvus Lite
    has no option for it; the flushed rows themselves are safe (its manifest and segments are written atomically)."""
    import logging
    import os

    from milvus_lite.storage.segment import Segment

    log = logging.getLogger("tessera_milvus")

    def rebuilding(original, scalar):
        def build_or_load(self, spec, index_dir, *rest, **kwargs):
            try:
                return original(self, spec, index_dir, *rest, **kwargs)
            except (EOFError, ValueError, OSError) as error:
                path = self.index_file_path(index_dir, spec.index_type, spec.field_name, scalar=scalar)
                if not os.path.exists(path):
                    raise
                log.warning("index sidecar %s is unreadable (%s); rebuilding it from its segment", path, error)
                os.remove(path)
                return original(self, spec, index_dir, *rest, **kwargs)
        return build_or_load

    Segment.build_or_load_index = rebuilding(Segment.build_or_load_index, False)
    Segment.build_or_load_scalar_index = rebuilding(Segment.build_or_load_scalar_index, True)


def serve(args):
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    # Imported late so that the signal handlers are in place before the (slow) imports.
    from milvus_lite.cmdline import main

    _rebuild_unreadable_sidecars()

    return main(["server", "--data-dir", args.data_dir, "--host", args.host, "--port", str(args.port)])


def probe(args):
    """A real Connect followed by GetVersion over gRPC; prints the server version."""
    import grpc
    from pymilvus.grpc_gen import milvus_pb2, milvus_pb2_grpc

    with grpc.insecure_channel(f"{args.host}:{args.port}") as channel:
        stub = milvus_pb2_grpc.MilvusServiceStub(channel)
        try:
            connected = stub.Connect(milvus_pb2.ConnectRequest(), timeout=args.timeout)
            version = stub.GetVersion(milvus_pb2.GetVersionRequest(), timeout=args.timeout)
        except grpc.RpcError as error:
            print(f"not ready: {error.code().name}", file=sys.stderr)
            return 1
    if connected.status.code != 0 or version.status.code != 0:
        print(f"not ready: {connected.status.reason or version.status.reason}", file=sys.stderr)
        return 1
    print(version.version)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="tessera_milvus")
    commands = parser.add_subparsers(dest="command", required=True)
    server = commands.add_parser("server", help="run Milvus Lite until SIGINT or SIGTERM")
    server.add_argument("--data-dir", required=True)
    server.add_argument("--host", default="127.0.0.1")
    server.add_argument("--port", type=int, default=19530)
    server.set_defaults(func=serve)
    check = commands.add_parser("probe", help="exit 0 when the server answers Connect and GetVersion")
    check.add_argument("--host", default="127.0.0.1")
    check.add_argument("--port", type=int, default=19530)
    check.add_argument("--timeout", type=float, default=2.0)
    check.set_defaults(func=probe)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
