"""The search index's part of `/healthz`: are the published practices indexed with the current encoder?"""

from ccx.core.health import CheckResult, register
from ccx.practices.models import Practice
from ccx.search.index import MODEL_KEY, live_index
from ccx.search.models import SearchDocument


@register("search")
def search_index() -> CheckResult:
    published = Practice.objects.published().count()
    indexed = SearchDocument.objects.filter(searchable=True, model=MODEL_KEY).count()
    data = {"published_practices": published, "indexed_practices": indexed}
    if live_index.engine is not None:
        data["loaded_in_this_process"] = live_index.engine.size
    if published and not indexed:
        return CheckResult(False, "no published practice is indexed: run `ccx reindex`", data)
    # Practices saved a moment ago are indexed in the background: a few missing is normal, not an outage.
    return CheckResult(True, f"{published - indexed} waiting to be indexed" if published > indexed else "", data)
