"""The app's style sheets (README.md here says which rules go where)."""

from pathlib import Path

HERE = Path(__file__).resolve().parent


def tcss(name: str) -> Path:
    """A style sheet's full path, so a screen subclassed in another folder still finds it
    (Textual reads a relative CSS_PATH from the subclass's own folder)."""
    return HERE / f"{name}.tcss"
