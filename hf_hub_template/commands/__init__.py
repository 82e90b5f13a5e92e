"""The `hf-hub-template` commands, one thin module per group, in the shape of `huggingface_hub`'s `hf` CLI.

Each group module declares its sub-commands (`register`) and turns their options into a call of the
use-case modules below it; the options several commands share are declared once (`_options`), and what
a command may raise is said in one place, by exception type (`_errors`).
"""
