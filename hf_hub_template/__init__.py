"""The `hf-hub-template` tools: publish a rendered repo, update fleets, apply org standards.

The Copier template itself is `copier.yml` and `template/`; the scripts Copier runs are the thin
`hooks/*.py`, which import this package. Each module has one job; those the copy task loads import no
third-party package at module level but PyYAML (a Copier dependency); Hub-facing code says how to add
`huggingface_hub` when it is missing.

Rooms: `commands/` (one module per command group), `hub/` (the Hub session, errors, facts, content ids and
the typed Project), `fleet/` (one scan of a namespace, a visitor per fleet command); the use cases beside them.
"""
