"""show_source: render library code inside a notebook, from the library itself."""

import inspect
from pathlib import Path

from IPython.display import Markdown


def source_text(obj):
    """The source of a function, class or module, with its file and line numbers."""
    # a decorated function (one_thread, no_grad) is shown from its own file
    obj = inspect.unwrap(obj)
    lines, first = inspect.getsourcelines(obj)
    path = Path(inspect.getsourcefile(obj))
    parts = path.parts
    where = (
        "/".join(parts[len(parts) - 1 - parts[::-1].index("bigram_lib") :])
        if "bigram_lib" in parts
        else path.name
    )
    first = max(first, 1)
    return f"{where}, lines {first}-{first + len(lines) - 1}", "".join(lines)


def show_source(obj) -> Markdown:
    """Display the library's own source of `obj` as highlighted code."""
    header, code = source_text(obj)
    return Markdown(f"**{header}**\n\n```python\n{code.rstrip()}\n```")
