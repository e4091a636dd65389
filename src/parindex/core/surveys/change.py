"""Change of a survey estimate between two years: is a fall in SIPAS real or sampling noise?

The two years are independent samples, so the difference of an estimate (index, content,
group or item; overall or by province) has variance SE₁² + SE₂², each from its own year's
design. The change is *significant* at 95 % when its interval d ± z·SE leaves out zero
(z from the normal distribution, as R's ``confint`` on ``svycontrast``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray
from scipy.stats import norm


class HasEstimates(Protocol):
    @property
    def domains(self) -> tuple[str, ...]: ...
    @property
    def variables(self) -> tuple[str, ...]: ...
    @property
    def estimate(self) -> NDArray[np.float64]: ...
    @property
    def se(self) -> NDArray[np.float64]: ...


@dataclass(frozen=True)
class Change:
    domain: str
    variable: str
    current: float
    previous: float
    difference: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    significant: bool
    """The interval leaves out zero (at the level asked, 95 % by default)."""


def changes(
    current: HasEstimates, previous: HasEstimates, level: float = 0.95
) -> tuple[Change, ...]:
    """Every (domain, variable) estimated in both years, current minus previous.

    >>> from types import SimpleNamespace as S
    >>> now = S(domains=("LS",), variables=("index",), estimate=np.array([[0.7544]]), se=np.array([[0.0135]]))
    >>> then = S(domains=("LS",), variables=("index",), estimate=np.array([[0.8707]]), se=np.array([[0.0062]]))
    >>> c = changes(now, then)[0]
    >>> round(c.difference, 4), round(c.se, 4), c.significant
    (-0.1163, 0.0149, True)
    """
    z = float(norm.ppf(0.5 + level / 2))
    before = {
        (domain, variable): (float(previous.estimate[d, v]), float(previous.se[d, v]))
        for d, domain in enumerate(previous.domains)
        for v, variable in enumerate(previous.variables)
    }
    out = []
    for d, domain in enumerate(current.domains):
        for v, variable in enumerate(current.variables):
            if (domain, variable) not in before:
                continue
            old, old_se = before[(domain, variable)]
            new, new_se = float(current.estimate[d, v]), float(current.se[d, v])
            difference = new - old
            se = float(np.hypot(new_se, old_se))
            if np.isnan(difference) or np.isnan(se):
                continue
            p_value = float(2 * norm.sf(abs(difference) / se)) if se > 0 else float(difference == 0)
            out.append(
                Change(
                    domain=domain,
                    variable=variable,
                    current=new,
                    previous=old,
                    difference=difference,
                    se=se,
                    ci_low=difference - z * se,
                    ci_high=difference + z * se,
                    p_value=p_value,
                    significant=bool(difference - z * se > 0 or difference + z * se < 0),
                )
            )
    return tuple(out)
