"""Every repo of a namespace made from the template, read in one scan (`scan`) and handed to a visitor:
`update` opens a pull request per repo (fleet-update), `status` reports its drift (fleet-status).

A new fleet command is a visitor: what to do with one repo whose answers name the operator's template,
what to say of the others, and how to report the whole.
"""
