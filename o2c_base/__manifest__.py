{
    "name": "O2C Base",
    "version": "18.0.1.0.0",
    "category": "Hidden/Tools",
    "summary": "Shared plumbing of the O2C suite: PDF reports with their letterhead, safe reading of uploaded XML",
    "author": "O2C Suite",
    "license": "LGPL-3",
    "depends": ["web"],
}
