"""Child processes for scripts/bench.py: the TUI measured from outside, headless.

    python scripts/bench_tui.py startup ours CONVERSATION.ltc OUT.json
    python scripts/bench_tui.py startup bare - OUT.json
    python scripts/bench_tui.py startup floor NOTE.txt OUT.json
    python scripts/bench_tui.py startup ours-typed CONVERSATION.ltc OUT.json   (on a terminal: asks
        for the passphrase; scripts/bench.py types it, see run_typed_child)
    python scripts/bench_tui.py keys ours CONVERSATION.ltc OUT.json --keys 100 --seed 7
    python scripts/bench_tui.py keys ours-noautosave CONVERSATION.ltc OUT.json ...
    python scripts/bench_tui.py keys bare NOTE.txt OUT.json ...

Only the standard library is imported at module level, and only what start-up needs (key
timing's modules are imported by its functions), so a start-up figure measures the app and
next to nothing of this harness. Each comparison runs both sides through the same code:

- "ours" goes through the real command line (`lt_interview.cli.main(["converse", FILE])`) with
  `App.run` given `headless=True` and a fixed size; "bare" is a plain Textual app (one Label for
  start-up; one soft-wrapped TextArea holding the same note for keystrokes).
- The app's `_display` is wrapped so that each frame's terminal bytes are produced, as on a
  real terminal (headless Textual computes the frame but skips that step), and the moment each
  frame is ready is recorded. A keystroke's latency runs from the moment it is handed to the
  driver to the first frame that shows it.
- Keys come from a separate thread through `driver.send_message`, as a terminal's input thread
  delivers them, at a fast typist's uneven pace (key_plan); so a key can arrive while a save
  or another frame is running, and the delay that causes is measured instead of hidden.

The parent reads each child's peak RSS with os.wait4.
"""

from __future__ import annotations

import argparse
import importlib.abc
import importlib.util
import json
import os
import sys
import threading
import time
from pathlib import Path

SIZE = (120, 40)
FRAME_BUDGET_S = 0.016
WORDS = ("the visit was on a tuesday and the baby seemed settled mother said the partner was "
         "working nights health visitor rang the duty desk twice and left a message").split()


def peak_rss_mb() -> float | None:
    """This process's own peak RSS (VmHWM), which starts afresh at exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


class Frames:
    """Wraps app._display: renders each frame's terminal bytes and tells listeners when."""

    def __init__(self, app) -> None:
        self.app = app
        self.count = 0
        self.bytes = 0
        self.listeners: list = []
        self._original = app._display
        app._display = self._display

    def _display(self, screen, renderable) -> None:
        self._original(screen, renderable)
        if renderable is None:
            return
        render_segments = getattr(renderable, "render_segments", None)
        if render_segments is not None:
            self.bytes += len(render_segments(self.app.console))
        self.count += 1
        now = time.perf_counter()
        for listener in list(self.listeners):
            listener(now)


def _headless_screens() -> None:
    """The app refuses to open a screen without a terminal (platform.screen_unavailable); these
    children draw headless, so there is no terminal to check."""
    _after_import("lt_interview.platform", lambda module: setattr(module, "screen_unavailable", lambda: None))


def _patch_run(hook) -> None:
    """Make every App.run headless at a fixed size, with `hook(app)` as its auto pilot."""
    from textual.app import App

    _headless_screens()

    original = App.run

    def run(self, **kwargs):
        kwargs.update(headless=True, size=SIZE)
        if hook is not None:
            kwargs["auto_pilot"] = lambda pilot: hook(pilot.app)
        return original(self, **kwargs)

    App.run = run  # type: ignore[method-assign]


def _is_conversation_ready(app) -> bool:
    screen = app.screen
    return (type(screen).__name__ == "ConversationScreen" and getattr(screen, "loaded_key", None) is not None
            and type(screen.focused).__name__ == "NotesEditor")


def _bare_label_app():
    from textual.app import App
    from textual.widgets import Label

    class BareLabel(App):
        def compose(self):
            yield Label("Hello")

    return BareLabel()


def _bare_textarea_app(text: str):
    from textual.app import App
    from textual.widgets import TextArea

    class BareTextArea(App):
        def compose(self):
            yield TextArea(text, soft_wrap=True, show_line_numbers=False, id="notes")

        def on_mount(self) -> None:
            area = self.query_one(TextArea)
            area.move_cursor(area.document.end)
            area.focus()

    return BareTextArea()


def _floor_app(text: str):
    """What the fixed stack costs before any of lt-interview's own work: pydantic imported and
    one small model built and used, then a bare Textual app showing the conversation's note in
    a soft-wrapped TextArea, focused at its end (the notes editor's starting state)."""
    from pydantic import BaseModel

    class Probe(BaseModel):
        text: str = ""
        number: int = 0

    Probe.model_validate_json('{"text": "probe", "number": 1}')
    return _bare_textarea_app(text)


READY = {
    "ours": _is_conversation_ready,
    "ours-typed": _is_conversation_ready,
    "bare": lambda app: bool(app.screen.query("Label")),
    "floor": lambda app: app.focused is not None and type(app.focused).__name__ == "TextArea",
}


# --- start-up -------------------------------------------------------------------------------

def _after_import(name: str, patch) -> None:
    """Call patch(module) once `name` has been imported (now, if it already is)."""
    if name in sys.modules:
        patch(sys.modules[name])
        return

    class Hook(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname, path, target=None):
            if fullname != name:
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(fullname)
            loader = spec.loader
            real_exec = loader.exec_module

            def exec_module(module):
                real_exec(module)
                patch(module)

            loader.exec_module = exec_module
            return spec

    sys.meta_path.insert(0, Hook())


def startup(side: str, path: str, out: Path) -> None:
    t0 = float(os.environ.get("BENCH_T0") or time.time())
    marks: dict[str, float] = {"harness_start_s": time.time() - t0}
    phases: dict[str, float] = {}

    def when_ready(app, ready) -> None:
        frames = Frames(app)

        def listener(_now: float) -> None:
            if "screen_s" not in marks and ready(app):
                marks["screen_s"] = time.time() - t0
                frames.listeners.clear()
                app.call_later(app.exit)

        frames.listeners.append(listener)

    def patch_app(module) -> None:
        App = module.App
        original_run = App.run

        def run(self, **kwargs):
            marks["app_run_s"] = time.time() - t0
            when_ready(self, READY[side])
            kwargs.update(headless=True, size=SIZE)
            return original_run(self, **kwargs)

        App.run = run  # type: ignore[method-assign]

    def patch_store(module) -> None:
        Store = module.Store
        real_open = Store.open.__func__  # type: ignore[attr-defined]

        def open_store(cls, *args, **kwargs):
            marks.setdefault("open_start_s", time.time() - t0)
            started = time.perf_counter()
            try:
                return real_open(cls, *args, **kwargs)
            finally:
                phases["store_open_s"] = phases.get("store_open_s", 0.0) + time.perf_counter() - started

        Store.open = classmethod(open_store)  # type: ignore[method-assign, assignment]

    # Patched as they are imported, so the harness imports nothing the app would import later
    # (converse starts the key derivation before importing Textual, pydantic and the store).
    _after_import("textual.app", patch_app)
    _headless_screens()
    if side in ("ours", "ours-typed"):
        from lt_interview import cli

        def patch_connection(connection) -> None:
            real_derive = connection.derive_key

            def derive_key(passphrase, salt):
                started = time.perf_counter()
                try:
                    return real_derive(passphrase, salt)
                finally:
                    phases["argon2_s"] = phases.get("argon2_s", 0.0) + time.perf_counter() - started

            connection.derive_key = derive_key

        def patch_common(common) -> None:  # lt_interview.unlock, where the preload starts
            real_start = common._start_preload

            def start_preload(modules):
                thread = real_start(modules)

                def watch() -> None:
                    thread.join()
                    marks["preload_done_s"] = time.time() - t0

                threading.Thread(target=watch, daemon=True).start()
                return thread

            common._start_preload = start_preload

        _after_import("lt_interview.storage.store", patch_store)
        _after_import("lt_interview.storage.connection", patch_connection)
        _after_import("lt_interview.unlock", patch_common)
        code = cli.main(["converse", path])
    elif side == "floor":
        code = _floor_app(Path(path).read_text(encoding="utf-8")).run() or 0
    else:
        code = _bare_label_app().run() or 0
    if code or "screen_s" not in marks:
        raise SystemExit(f"the screen did not start (exit code {code})")
    marks["exit_s"] = time.time() - t0
    out.write_text(json.dumps({"side": side, "code": code, **marks, **phases, "vmhwm_mb": peak_rss_mb()}))


# --- keystroke to screen --------------------------------------------------------------------

def key_plan(count: int, seed: int) -> tuple[str, list[float]]:
    """What to type (words and spaces, no newline) and the pause before each key: log-normal
    around 90 ms (35 ms to 400 ms), a fast typist at about ten keys a second with bursts."""
    import math
    import random

    rng = random.Random(seed)
    text = ""
    while len(text) < count:
        text += rng.choice(WORDS) + " "
    pauses = [min(0.4, max(0.035, rng.lognormvariate(math.log(0.09), 0.45))) for _ in range(count)]
    return text[:count], pauses


def _key_event(char: str):
    from textual import events

    return events.Key("space" if char == " " else char, char)


def keys(side: str, path: str, out: Path, count: int, seed: int) -> None:
    typed, pauses = key_plan(count, seed)
    result: dict = {"side": side, "keys": count, "seed": seed}

    async def measure(app) -> None:
        try:
            await _measure(app, typed, pauses, side, result)
        finally:
            app.exit()

    if side == "bare":
        _patch_run(measure)
        text = Path(path).read_text(encoding="utf-8")
        _bare_textarea_app(text).run()
        code = 0
    else:
        if side == "ours-noautosave":
            from dataclasses import replace

            from lt_interview.tui.screens import conversation

            # The autosave never writes on its own; nothing else changes.
            conversation.NOTES_AUTOSAVE = replace(conversation.NOTES_AUTOSAVE, throttle_s=1e9)
        from lt_interview import cli

        _patch_run(measure)
        code = cli.main(["converse", path])
    if code or "latencies_ms" not in result:
        raise SystemExit(f"the conversation screen did not run (exit code {code})")
    result["code"] = code
    result["vmhwm_mb"] = peak_rss_mb()
    out.write_text(json.dumps(result))


async def _measure(app, typed: str, pauses: list[float], side: str, result: dict) -> None:
    import asyncio
    import gc

    ready = (lambda a: type(a.screen.focused).__name__ == "TextArea") if side == "bare" else _is_conversation_ready
    deadline = time.monotonic() + 60
    while not ready(app):
        if time.monotonic() > deadline:
            raise RuntimeError("the screen never became ready")
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.5)  # let the opening frames and first timers pass
    editor = app.screen.focused
    before = editor.text
    row0, col0 = editor.cursor_location
    if (row0, col0) != tuple(editor.document.end):
        raise RuntimeError("the cursor is not at the end of the note")
    count = len(typed)
    posted: list[float | None] = [None] * count
    shown: list[float | None] = [None] * count
    state = {"next": 0}

    frames = Frames(app)

    def on_frame(now: float) -> None:
        row, column = editor.cursor_location
        applied = min(count, column - col0) if row == row0 else count
        while state["next"] < applied:
            shown[state["next"]] = now
            state["next"] += 1

    frames.listeners.append(on_frame)

    # An autosave's part on the UI thread (cleaning, validating and encoding the text, handing it
    # over: the part that can hold a key back), and its commit on the store's writer thread.
    saves: list[tuple[float, float]] = []
    commits: list[tuple[float, float]] = []
    store = getattr(app, "store", None)
    if store is not None:
        session = app.screen.session

        def timed(real, into):
            def call(*args, **kwargs):
                started = time.perf_counter()
                try:
                    return real(*args, **kwargs)
                finally:
                    into.append((started, time.perf_counter()))
            return call

        session.save_draft = timed(session.save_draft, saves)
        session.save_draft_soon = timed(session.save_draft_soon, saves)
        store._write_draft = timed(store._write_draft, commits)

    collections: list[tuple[float, float, int]] = []  # garbage collector pauses while typing
    gc_started = [0.0]

    def on_gc(phase: str, info: dict) -> None:
        if phase == "start":
            gc_started[0] = time.perf_counter()
        else:
            collections.append((gc_started[0], time.perf_counter(), info["generation"]))

    result["gc_objects_before"] = len(gc.get_objects())
    result["gc_frozen"] = gc.get_freeze_count()
    gc.callbacks.append(on_gc)
    loop = asyncio.get_running_loop()
    finished = asyncio.Event()
    driver = app._driver
    events = [_key_event(char) for char in typed]

    def feeder() -> None:
        due = time.perf_counter() + 0.05
        for index, event in enumerate(events):
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            posted[index] = time.perf_counter()
            driver.send_message(event)
            due = max(due, posted[index]) + pauses[index]
        loop.call_soon_threadsafe(finished.set)

    thread = threading.Thread(target=feeder, name="bench-typist", daemon=True)
    started = time.perf_counter()
    thread.start()
    await finished.wait()
    deadline = time.monotonic() + 10
    while state["next"] < count and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    typing_s = time.perf_counter() - started
    await asyncio.sleep(0.6)  # more than one autosave period after the last key
    frames.listeners.clear()
    gc.callbacks.remove(on_gc)
    result["gc_objects_after"] = len(gc.get_objects())

    latencies = [(s - p) for p, s in zip(posted, shown) if p is not None and s is not None]
    after = editor.text
    result.update({
        "typing_s": typing_s,
        "frames": frames.count,
        "frame_bytes": frames.bytes,
        "latencies_ms": [round(value * 1000, 3) for value in latencies],
        "shown": sum(1 for s in shown if s is not None),
        "editor_has_every_key": after == before + typed,
        "words_in_editor": len(before.split()),
        "gc_pauses_ms": {str(generation): [round((end - start) * 1000, 3) for start, end, g in collections
                                           if g == generation] for generation in (0, 1, 2)},
    })
    slow = [index for index, (p, s) in enumerate(zip(posted, shown))
            if p is not None and s is not None and s - p > FRAME_BUDGET_S]
    result["slow_keys"] = len(slow)
    result["slow_key_windows"] = [(posted[index], shown[index]) for index in slow]
    result["slow_keys_with_gc"] = {
        str(generation): sum(1 for index in slow if any(
            g == generation and start < shown[index] and end > posted[index] for start, end, g in collections))
        for generation in (0, 1, 2)}
    if store is not None:
        def during(windows):
            return [index for index, (p, s) in enumerate(zip(posted, shown))
                    if p is not None and s is not None and any(start < s and end > p for start, end in windows)]

        def overlap(index, windows):
            """How long the key, while it waited, shared the time with these windows: the most
            a save could have held it."""
            p, s = posted[index], shown[index]
            return sum(max(0.0, min(end, s) - max(start, p)) for start, end in windows)

        overlapped = during(saves)
        lat = [latencies[i] for i in overlapped]
        in_commit = during(commits)
        lat_commit = [latencies[i] for i in in_commit]
        result.update({
            "saves": len(saves),
            "save_ms": [round((end - start) * 1000, 3) for start, end in saves],
            "keys_during_save": len(overlapped),
            "keys_during_save_ms": [round(value * 1000, 3) for value in lat],
            "delayed_during_save": sum(1 for value in lat if value > FRAME_BUDGET_S),
            "commit_ms": [round((end - start) * 1000, 3) for start, end in commits],
            "keys_during_commit_ms": [round(value * 1000, 3) for value in lat_commit],
            "keys_during_save_overlap_ms": [round(overlap(i, saves) * 1000, 3) for i in overlapped],
            "keys_during_commit_overlap_ms": [round(overlap(i, commits) * 1000, 3) for i in in_commit],
        })
        screen = app.screen
        if side == "ours":
            record_id = screen.session._notes[screen.loaded_key][0]
            row = store.conn.execute("SELECT body FROM draft WHERE record_id = ?", (record_id,)).fetchone()
            draft = json.loads(row[0])["text"] if row else ""
            result["draft_has_every_key"] = draft == before + typed
            result["draft_chars_missing"] = max(0, len(before + typed) - len(draft))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=("startup", "keys"))
    parser.add_argument("side", choices=("ours", "ours-typed", "ours-noautosave", "bare", "floor"))
    parser.add_argument("path")
    parser.add_argument("out", type=Path)
    parser.add_argument("--keys", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.what == "startup":
        startup(args.side, args.path, args.out)
    else:
        keys(args.side, args.path, args.out, args.keys, args.seed)


if __name__ == "__main__":
    sys.exit(main())
