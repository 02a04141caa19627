"""binderhub-registry-hook: make a BinderHub's container registry work on the first try.

The data takes one path, visible in :mod:`binderhub_registry_hook.cli`::

    spec -> provider -> credentials -> probe -> outputs -> sink
"""

__version__ = "0.1.0"
