"""The viewflow process of a case: a proxy that exposes the case (the process artifact)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process


class CaseProcess(Process):
    class Meta:
        proxy = True
        verbose_name = _("案件流程")
        verbose_name_plural = _("案件流程")

    @property
    def case(self) -> Any:
        return self.artifact
