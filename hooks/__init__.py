"""Python run by the template's Copier tasks, and the `hf-hub-template` command.

Each module has one job; none may import a third-party package at module level except
`huggingface_hub`-facing modules, which say how to add it when it is missing.
"""
