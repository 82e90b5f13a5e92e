"""The `hf-hub-template` tools: publish a rendered repo, update fleets, apply org standards.

The Copier template itself is `copier.yml` and `template/`; the scripts Copier runs are the thin
`hooks/*.py`, which import this package. Each module has one job; none imports a third-party
package at module level except PyYAML (a Copier dependency); Hub-facing code says how to add
`huggingface_hub` when it is missing.
"""
