"""``python -m service.cli``: the ``tawsiya`` command line."""

from service.cli import main

main()
