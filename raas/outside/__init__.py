"""The outside world's side: what the National Register, the BIS register and Dimona publish.

`feeds` writes records to their source topics, keyed as the topic map says; `persons`,
`replacements` and `declarations` build the records, checked as a source would check them.
The register only follows these topics: nothing answers on them.
"""
