from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..core import ladder as ladder_core


class O2cDunningLadder(models.Model):
    """A sequence of reminder levels, applied to the customers of a company."""

    _name = "o2c.dunning.ladder"
    _description = "Dunning Ladder"
    _order = "company_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    level_ids = fields.One2many("o2c.dunning.level", "ladder_id", string="Levels", copy=True)
    level_count = fields.Integer(compute="_compute_level_count", string="Number of levels")
    note = fields.Text(string="Description", translate=True)

    @api.depends("level_ids")
    def _compute_level_count(self):
        for ladder in self:
            ladder.level_count = len(ladder.level_ids)

    @api.constrains("level_ids")
    def _check_level_offsets(self):
        """Levels must have distinct day offsets that grow with their order."""
        for ladder in self:
            levels = ladder.level_ids.sorted(lambda lvl: (lvl.sequence, lvl.id))
            error = ladder_core.check_offsets([(lvl.name, lvl.day_offset) for lvl in levels])
            if error:
                kind, first, second = error
                if kind == "same_offset":
                    raise ValidationError(
                        _(
                            "Ladder %(ladder)s: levels %(first)s and %(second)s have the same day offset; "
                            "give each level its own offset.",
                            ladder=ladder.name,
                            first=first,
                            second=second,
                        )
                    )
                raise ValidationError(
                    _(
                        "Ladder %(ladder)s: level %(second)s comes after %(first)s but has a smaller day offset; "
                        "order the levels by their offset.",
                        ladder=ladder.name,
                        first=first,
                        second=second,
                    )
                )

    def _core_ladder(self):
        """Return the plain-data ladder (core.ladder.Ladder) of this record for the pure arithmetic."""
        self.ensure_one()
        levels = self.level_ids.sorted(lambda lvl: (lvl.sequence, lvl.id))
        return ladder_core.Ladder(
            id=self.id,
            levels=tuple(
                ladder_core.Level(
                    id=lvl.id,
                    day_offset=lvl.day_offset,
                    min_amount=lvl.min_amount,
                    skip_when_late=lvl.skip_when_late,
                )
                for lvl in levels
            ),
        )
