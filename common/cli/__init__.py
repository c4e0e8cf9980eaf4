"""The ``autoapply`` command line."""
