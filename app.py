"""Web app: predict a surname's language and train your own model, in Korean and English.

Run `python app.py`; it serves on 127.0.0.1 at the first free port from 7860. On Hugging Face
Spaces the GRADIO_SERVER_NAME and GRADIO_SERVER_PORT variables choose the address instead.
With `--mcp` (needs `pip install "gradio[mcp]==6.31.0"`) the public API endpoints, among them the
stateless `classify_surname`, are also served as MCP tools at /gradio_api/mcp/.
"""

from __future__ import annotations

import argparse
import logging
import os

# Keep the app quiet and local: no usage statistics and no Hub calls. Set before gradio is imported.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from charrnn.cli import DEFAULT_CHECKPOINT, default_data_path  # noqa: E402
from charrnn.ui import LAUNCH_SETTINGS, AppContext, build_demo  # noqa: E402
from charrnn.ui.session import running_on_spaces  # noqa: E402

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", default=str(DEFAULT_CHECKPOINT), help="the shipped model the Predict tab uses")
    parser.add_argument(
        "--data", default=default_data_path(),
        help="names data for the Train tab: a folder of <Label>.txt files, a .csv or a .zip "
        "(default: $CHARRNN_DATA, then data/names)",
    )
    parser.add_argument("--host", default=None, help="address to listen on (default: $GRADIO_SERVER_NAME, then 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=None,
        help="port to listen on (default: $GRADIO_SERVER_PORT, then the first free port from 7860)",
    )
    parser.add_argument("--share", action="store_true", help="also ask Gradio for a temporary public *.gradio.live link")
    parser.add_argument(
        "--allow-save", action="store_true",
        help="offer a button that saves a trained model into the checkpoint's folder (local, non-shared runs only)",
    )
    parser.add_argument(
        "--mcp", action="store_true",
        help="also serve the app's API as MCP tools at /gradio_api/mcp/ (needs: pip install 'gradio[mcp]')",
    )
    return parser


def save_allowed(args: argparse.Namespace) -> bool:
    """Allow writes into checkpoints/ only when asked and only on a machine nobody else reaches."""
    host = args.host or os.environ.get("GRADIO_SERVER_NAME") or "127.0.0.1"
    return args.allow_save and not args.share and not running_on_spaces() and host in LOOPBACK_HOSTS


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # Gradio's own start-up probes, one line each
    context = AppContext.create(args.checkpoint, args.data, allow_save=save_allowed(args))
    demo = build_demo(context)
    # Only pass what the visitor set, so GRADIO_SERVER_NAME / GRADIO_SERVER_PORT keep working.
    address = {}
    if args.host is not None:
        address["server_name"] = args.host
    if args.port is not None:
        address["server_port"] = args.port
    demo.launch(share=args.share, mcp_server=args.mcp, **address, **LAUNCH_SETTINGS)


if __name__ == "__main__":
    main()
