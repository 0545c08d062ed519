"""Printed reviews and client dossiers as A4 PDFs (reportlab platypus, no Qt).

``document`` holds the page frame shared by every PDF (fonts, margins, header, footer, tables),
``charts`` the vector charts, ``review`` the annual/quarterly review and ``dossier`` the two-page
client dossier. Every figure comes from the services and analytics that also feed the dashboard
and ``status --json``; this package only lays them out.
"""
