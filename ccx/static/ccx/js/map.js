// Maps that work without internet: Natural Earth country shapes (shipped with the app) and city points.
// Each element with data-map gets a map. Attributes:
//   data-countries: URL of the TopoJSON world; data-points: URL of a GeoJSON FeatureCollection of cities;
//   data-point: "lat,lng" for a single place; data-zoom: initial zoom for a single place;
//   data-colours: id of a JSON script element mapping creative-field slugs to colours.
(function () {
  "use strict";

  // Hundreds of city points must not become hundreds of Tab stops: each map page links the same cities
  // as a list or a table, which is the keyboard's way in.
  function outOfTabOrder(layer) {
    const hide = () => {
      const element = layer.getElement && layer.getElement();
      if (element) element.setAttribute("tabindex", "-1");
    };
    layer.on("add", hide);
    hide();
    return layer;
  }

  function readColours(element) {
    const source = element.dataset.colours && document.getElementById(element.dataset.colours);
    return source ? JSON.parse(source.textContent) : {};
  }

  // Leaflet draws a ring that jumps from +180° to −180° (Russia's Chukotka, Fiji) as a strip across the whole
  // map. Such a ring is made continuous, cut at the meridian, and the part beyond it moved back by 360°: the
  // same rule as split_at_antimeridian in ccx/cities/world.py.
  function clipRing(ring, low, high) {
    let points = ring;
    [[low, true], [high, false]].forEach(([limit, above]) => {
      const keeps = (point) => (above ? point[0] >= limit : point[0] <= limit);
      const cross = (a, b) => [limit, a[1] + ((b[1] - a[1]) * (limit - a[0])) / (b[0] - a[0])];
      const clipped = [];
      points.forEach((point, index) => {
        const previous = points[(index + points.length - 1) % points.length];
        if (keeps(point)) {
          if (!keeps(previous)) clipped.push(cross(previous, point));
          clipped.push(point);
        } else if (keeps(previous)) {
          clipped.push(cross(previous, point));
        }
      });
      points = clipped;
    });
    return points;
  }

  function splitRing(ring) {
    if (!ring.some((point, index) => index > 0 && Math.abs(point[0] - ring[index - 1][0]) > 180)) return [ring];
    let shift = 0;
    const unwrapped = ring.map((point, index) => {
      if (index > 0) {
        const step = point[0] - ring[index - 1][0];
        if (step > 180) shift -= 360;
        else if (step < -180) shift += 360;
      }
      return [point[0] + shift, point[1]];
    });
    const pieces = [];
    [[-540, -180, 360], [-180, 180, 0], [180, 540, -360]].forEach(([low, high, move]) => {
      const piece = clipRing(unwrapped, low, high);
      const xs = piece.map((point) => point[0]);
      if (piece.length > 2 && Math.max(...xs) - Math.min(...xs) > 1e-6) {
        const moved = piece.map(([x, y]) => [x + move, y]);
        moved.push(moved[0]);
        pieces.push(moved);
      }
    });
    return pieces;
  }

  function splitAtAntimeridian(geometry) {
    if (!geometry || (geometry.type !== "Polygon" && geometry.type !== "MultiPolygon")) return geometry;
    const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    const kept = [];
    polygons.forEach(([outer, ...holes]) => {
      const pieces = splitRing(outer);
      if (pieces.length === 1) kept.push([pieces[0], ...holes]);
      else pieces.forEach((piece) => kept.push([piece]));
    });
    return { type: "MultiPolygon", coordinates: kept };
  }

  function addCountries(map, url) {
    return fetch(url)
      .then((response) => response.json())
      .then((world) => {
        const shapes = topojson.feature(world, world.objects.countries);
        // Antarctica (ISO 010) only adds a band of white at the bottom of a network map.
        shapes.features = shapes.features
          .filter((feature) => feature.id !== "010")
          .map((feature) => ({ ...feature, geometry: splitAtAntimeridian(feature.geometry) }));
        L.geoJSON(shapes, {
          pane: "countries",
          interactive: false,
          style: { color: "#9aa8b1", weight: 0.6, fillColor: "#fbfbf8", fillOpacity: 1 },
        }).addTo(map);
      });
  }

  function popupContent(properties) {
    const wrapper = document.createElement("div");
    const link = document.createElement("a");
    link.href = properties.url;
    link.textContent = properties.name;
    wrapper.appendChild(link);
    const details = document.createElement("div");
    details.textContent = [properties.field_label, properties.country_label].filter(Boolean).join(" · ");
    wrapper.appendChild(details);
    return wrapper;
  }

  // Where cities crowd (Europe, East Asia), points gather into a numbered cluster that opens on zoom. Clusters,
  // like points, stay out of the Tab order: the page's list of cities is the keyboard's way in.
  function clusterLayer() {
    if (!L.markerClusterGroup) return L.layerGroup();
    L.MarkerCluster.mergeOptions({ keyboard: false });
    return L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 36,
      disableClusteringAtZoom: 6,
      spiderfyOnMaxZoom: true,
      iconCreateFunction: (cluster) => {
        const count = cluster.getChildCount();
        const size = count < 10 ? "small" : count < 50 ? "medium" : "large";
        return L.divIcon({
          html: "<span>" + count + "</span>",
          className: "map-cluster map-cluster-" + size,
          iconSize: L.point(34, 34),
        });
      },
    });
  }

  function addPoints(map, element, colours) {
    const markersByField = {};
    const clusters = clusterLayer().addTo(map);
    return fetch(element.dataset.points, { headers: { Accept: "application/geo+json" } })
      .then((response) => response.json())
      .then((collection) => {
        const bounds = [];
        collection.features.forEach((feature) => {
          const [lng, lat] = feature.geometry.coordinates;
          const field = feature.properties.field || "other";
          const marker = L.circleMarker([lat, lng], {
            radius: 6,
            weight: 1.5,
            color: "#ffffff",
            fillColor: colours[field] || "#0b5e6b",
            fillOpacity: 0.92,
          });
          marker.bindPopup(popupContent(feature.properties));
          marker.bindTooltip(feature.properties.name);
          (markersByField[field] = markersByField[field] || []).push(outOfTabOrder(marker));
          bounds.push([lat, lng]);
        });
        const markers = Object.values(markersByField).flat();
        if (clusters.addLayers) clusters.addLayers(markers);
        else markers.forEach((marker) => clusters.addLayer(marker));
        if (bounds.length && element.dataset.fit === "true") {
          map.fitBounds(bounds, { padding: [20, 20], maxZoom: 6 });
        }
        const status = element.parentElement.querySelector("[data-map-status]");
        if (status) {
          status.textContent = status.dataset.template.replace("%s", String(bounds.length));
        }
        return { clusters, markersByField };
      });
  }

  function connectFilters(map, points) {
    document.querySelectorAll("[data-map-filter]").forEach((checkbox) => {
      checkbox.addEventListener("change", () => {
        const markers = points.markersByField[checkbox.dataset.mapFilter];
        if (!markers) return;
        if (points.clusters.addLayers) {
          if (checkbox.checked) points.clusters.addLayers(markers);
          else points.clusters.removeLayers(markers);
        } else {
          markers.forEach((marker) => (checkbox.checked ? points.clusters.addLayer(marker) : points.clusters.removeLayer(marker)));
        }
      });
    });
  }

  function addInlinePoints(map, element) {
    const source = document.getElementById(element.dataset.pointsInline);
    const points = source ? JSON.parse(source.textContent) : [];
    const bounds = points.map((point) => {
      const marker = L.circleMarker([point.lat, point.lng], { radius: 8, weight: 2, color: "#ffffff", fillColor: "#0b5e6b", fillOpacity: 1 });
      marker.bindTooltip(point.name);
      if (point.url) {
        marker.on("click", () => { window.location.href = point.url; });
      }
      outOfTabOrder(marker).addTo(map);
      return [point.lat, point.lng];
    });
    if (bounds.length === 1) map.setView(bounds[0], 5);
    else if (bounds.length > 1) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 6 });
  }

  // A curved line between two places, bent to one side so that links in both directions stay apart.
  function arc(from, to, bend) {
    const [lat1, lng1] = from;
    const [lat2, lng2] = to;
    const midLat = (lat1 + lat2) / 2 + (lng2 - lng1) * bend;
    const midLng = (lng1 + lng2) / 2 - (lat2 - lat1) * bend;
    const points = [];
    for (let step = 0; step <= 24; step += 1) {
      const t = step / 24;
      points.push([
        (1 - t) * (1 - t) * lat1 + 2 * (1 - t) * t * midLat + t * t * lat2,
        (1 - t) * (1 - t) * lng1 + 2 * (1 - t) * t * midLng + t * t * lng2,
      ]);
    }
    return points;
  }

  // A small triangle near the end of a line, pointing where the line goes (towards the adapting city).
  function arrowHead(points) {
    const [tipLat, tipLng] = points[points.length - 3];
    const [backLat, backLng] = points[points.length - 5];
    const length = Math.hypot(tipLat - backLat, tipLng - backLng) || 1;
    const [dLat, dLng] = [(tipLat - backLat) / length, (tipLng - backLng) / length];
    const size = 2.2;
    const base = [tipLat - dLat * size, tipLng - dLng * size];
    return L.polygon([
      [tipLat, tipLng],
      [base[0] - dLng * size * 0.5, base[1] + dLat * size * 0.5],
      [base[0] + dLng * size * 0.5, base[1] - dLat * size * 0.5],
    ], { weight: 0, fillColor: "#0b5e6b", fillOpacity: 0.95, interactive: false });
  }

  // How a link looks: its kind (transfer, partnership, twinning) and how sure we are of it (a twinning
  // recorded from public sources but unconfirmed is fainter and dashed; an ended tie is grey and dotted).
  // Ties with cities outside the network are thin and faint, so that thousands of them stay readable.
  function linkStyle(link) {
    const style = { weight: 2, color: "#c2410c", dashArray: "6 5", opacity: 0.85 };
    if (link.kind === "transfer") Object.assign(style, { weight: 2.5, color: "#0b5e6b", dashArray: null });
    if (link.kind === "twinning") {
      Object.assign(style, link.state === "recorded"
        ? { weight: 1.5, color: "#8b5cf6", dashArray: "4 4", opacity: 0.55 }
        : { weight: 2.5, color: "#6d28d9", dashArray: null, opacity: 0.9 });
    }
    if (link.state === "ended") Object.assign(style, { color: "#6b7280", dashArray: "2 4", opacity: 0.6 });
    if (link.outside) Object.assign(style, { weight: 1, opacity: Math.min(style.opacity, 0.3) });
    return style;
  }

  function addNetwork(map, element) {
    const source = document.getElementById(element.dataset.networkInline);
    const data = source ? JSON.parse(source.textContent) : { cities: [], links: [] };
    const byId = {};
    data.cities.forEach((city) => { byId[city.id] = city; });
    // Hundreds of lines draw much faster on one canvas than as as many SVG elements.
    const renderer = data.links.length > 300 ? L.canvas({ padding: 0.3 }) : undefined;
    data.links.forEach((link) => {
      const from = byId[link.from];
      const to = byId[link.to];
      if (!from || !to) return;
      // Partnerships bend the other way, so that a transfer and a partnership between two cities stay apart.
      const points = arc([from.lat, from.lng], [to.lat, to.lng], link.kind === "transfer" ? 0.15 : -0.15);
      const line = L.polyline(points, Object.assign({ className: "network-link network-link-" + link.kind, renderer }, linkStyle(link)));
      line.bindTooltip(from.name + (link.kind === "transfer" ? " → " : " ↔ ") + to.name + ": " + link.label);
      line.on("click", () => { window.location.href = link.url; });
      outOfTabOrder(line).addTo(map);
      if (link.kind === "transfer") {
        arrowHead(points).addTo(map);
      }
    });
    const bounds = [];
    data.cities.forEach((city) => {
      const member = city.member !== false;
      const marker = L.circleMarker([city.lat, city.lng], {
        radius: member ? 6 : 3, weight: member ? 1.5 : 0.5, color: "#ffffff", fillColor: city.colour, fillOpacity: 0.95, renderer,
      });
      marker.bindTooltip(city.name);
      marker.on("click", () => { window.location.href = city.url; });
      outOfTabOrder(marker).addTo(map);
      // The view fits the members: cities outside the network would stretch it to the whole globe.
      if (member) bounds.push([city.lat, city.lng]);
    });
    if (bounds.length > 1) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 5 });
    else if (bounds.length === 1) map.setView(bounds[0], 4);
  }

  function createMap(element) {
    const map = L.map(element, { worldCopyJump: true, minZoom: 1, maxZoom: 10, attributionControl: true });
    map.attributionControl.setPrefix(false);
    map.createPane("countries").classList.add("map-countries-pane");
    map.attributionControl.addAttribution("Natural Earth · GeoNames");
    const colours = readColours(element);
    if (element.dataset.point) {
      const [lat, lng] = element.dataset.point.split(",").map(Number);
      map.setView([lat, lng], Number(element.dataset.zoom || 4));
      L.circleMarker([lat, lng], { radius: 8, weight: 2, color: "#ffffff", fillColor: element.dataset.colour || "#0b5e6b", fillOpacity: 1 }).addTo(map);
    } else if (element.dataset.pointsInline) {
      map.setView([25, 15], 2);
      addInlinePoints(map, element);
    } else if (element.dataset.networkInline) {
      map.setView([25, 15], 2);
      addNetwork(map, element);
    } else {
      map.setView([25, 15], 2);
    }
    addCountries(map, element.dataset.countries).then(() => {
      if (element.dataset.points) {
        return addPoints(map, element, colours).then((points) => connectFilters(map, points));
      }
      return null;
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-map]").forEach(createMap);
  });
})();
