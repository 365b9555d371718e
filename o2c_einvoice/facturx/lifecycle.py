"""Lifecycle statuses of the French e-invoicing reform and the reason codes each status accepts (as the
BR-FR-CDV schematron lists them)."""

STATUS_CODES = {
    "200": "Déposée",
    "201": "Émise par la plateforme",
    "202": "Reçue par la plateforme",
    "203": "Mise à disposition",
    "204": "Prise en charge",
    "205": "Approuvée",
    "206": "Approuvée partiellement",
    "207": "En litige",
    "208": "Suspendue",
    "209": "Complétée",
    "210": "Refusée",
    "211": "Paiement transmis",
    "212": "Encaissée",
    "213": "Rejetée",
    "214": "Visée",
    "220": "Annulée",
    "221": "Erreur de routage",
    "501": "Irrecevable",
}
REASON_CODES = {
    "206": ("AUTRE", "CMD_ERR", "SIRET_ERR", "CODE_ROUTAGE_ERR", "REF_CT_ABSENT", "REF_ERR", "PU_ERR", "REM_ERR",
            "QTE_ERR", "ART_ERR", "MODPAI_ERR", "QUALITE_ERR", "LIVR_INCOMP"),
    "207": ("AUTRE", "COORD_BANC_ERR", "TX_TVA_ERR", "MONTANTTOTAL_ERR", "CALCUL_ERR", "NON_CONFORME", "DOUBLON",
            "DEST_INC", "DEST_ERR", "TRANSAC_INC", "EMMET_INC", "CONTRAT_TERM", "DOUBLE_FACT", "CMD_ERR", "ADR_ERR",
            "SIRET_ERR", "CODE_ROUTAGE_ERR", "REF_CT_ABSENT", "REF_ERR", "PU_ERR", "REM_ERR", "QTE_ERR", "ART_ERR",
            "MODPAI_ERR", "QUALITE_ERR", "LIVR_INCOMP"),
    "208": ("JUSTIF_ABS", "COORD_BANC_ERR", "CMD_ERR", "SIRET_ERR", "CODE_ROUTAGE_ERR", "REF_CT_ABSENT", "REF_ERR"),
    "210": ("TX_TVA_ERR", "MONTANTTOTAL_ERR", "CALCUL_ERR", "NON_CONFORME", "DOUBLON", "DEST_ERR", "TRANSAC_INC",
            "EMMET_INC", "CONTRAT_TERM", "DOUBLE_FACT", "CMD_ERR", "ADR_ERR", "REF_CT_ABSENT"),
    "213": ("MONTANTTOTAL_ERR", "CALCUL_ERR", "DOUBLON", "DEST_INC", "ADR_ERR", "REJ_SEMAN", "REJ_UNI", "REJ_COH",
            "REJ_ADR", "REJ_CONT_B2G", "REJ_REF_PJ", "REJ_ASS_PJ"),
}  # fmt: skip
ALL_REASON_CODES = tuple(sorted({code for codes in REASON_CODES.values() for code in codes}))
# The statuses the seller itself sends (to the buyer's platform / the tax administration); 211 Paiement
# transmis is the buyer's.
SELLER_STATUSES = ("204", "209", "212", "220")


def reason_error(status_code, reason_code):
    """Return None when `reason_code` fits `status_code`, else a short English explanation."""
    if status_code not in STATUS_CODES:
        return f"unknown status code {status_code}"
    allowed = REASON_CODES.get(status_code)
    if allowed and not reason_code:
        return f"status {status_code} requires a reason code"
    if reason_code and allowed and reason_code not in allowed:
        return f"reason {reason_code} is not allowed for status {status_code}"
    if reason_code and not allowed:
        return f"status {status_code} takes no reason code"
    return None
