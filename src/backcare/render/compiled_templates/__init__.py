"""Templates compiled ahead of time by Jinja2 (decision 005). Generated: do not edit.

Written by `python -m backcare.render.compile_templates` from src/backcare/templates/; a test
fails when this folder is out of step with them. One module per template, named as
jinja2.ModuleLoader looks for it ("tmpl_" and the sha1 of the template's name).
"""

JINJA2_VERSION = "3.1.6"  # used at run time only under this release
SOURCES = {
    "_macros.html": "ff69232861d9d16340b183c3c8226b9ecbcc7249e1498808d3fcd597f04cb0e3",
    "_site.html": "a56b4d2344a2853b8672be5cabffdd70c62dede77121a9831f9b71e116f150d5",
    "base.html": "e42874f8ab177223e8aa85f1fd504994b34633add54a085759e3a9be1517a988",
    "document.html": "617eeb96d993cfe12d62e1346b5d325f189e67a7d6e0171bc51988532a181822",
    "grid.html": "97c1130892591fde3084733dc3199b970efdcb2aaa7a9f6120761698d981f50c",
    "site_document.html": "94c28f443d0d804c6c48e8310541927a58f61a510fd8185eef7f2096b1468c7e",
    "site_glossary.html": "51d38ac4189eeee72fae6cd7d0a618b2068abe35e8a438f09e371d7bb2854bf4",
    "site_index.html": "b68980ea3e6be90065c975a97dd508934c469f6a8e1a25eda142dc67e2d5f2d7",
    "site_treatment.html": "a4904ca4a86c375a0a549d26d760f5eb859821aa744c7a752aaab33c33697887",
    "table.html": "e7ba70ab8f75823f1d89a3c092a3c7433189fb428cd41bdb97a58b6d7da758f8",
}
