// Events: show each session also in the visitor's own time zone, when it differs from the event's.
// Progressive enhancement: without JavaScript the programme shows the event's local times only.
(function () {
  "use strict";

  function visitorZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      return "";
    }
  }

  function offsetMinutes(date, zone) {
    // The zone's offset from UTC at `date`, in minutes, computed with Intl (no library).
    const parts = new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit",
    }).formatToParts(date);
    const value = (type) => Number(parts.find((part) => part.type === type).value);
    const asUtc = Date.UTC(value("year"), value("month") - 1, value("day"), value("hour"), value("minute"));
    return Math.round((asUtc - date.getTime()) / 60000);
  }

  function showVisitorTimes() {
    const container = document.querySelector("[data-event-zone]");
    if (!container) return;
    const eventZone = container.dataset.eventZone;
    const zone = visitorZone();
    const elements = document.querySelectorAll("[data-visitor-time]");
    if (!zone || !elements.length) return;
    const sample = new Date(elements[0].dataset.start);
    let sameOffset = zone === eventZone;
    try {
      sameOffset = sameOffset || offsetMinutes(sample, zone) === offsetMinutes(sample, eventZone);
    } catch (error) {
      return; // an unknown zone name: keep the event's times only
    }
    if (sameOffset) return;
    const lang = document.documentElement.lang || undefined;
    const time = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone });
    const day = new Intl.DateTimeFormat(lang, { weekday: "short", day: "numeric", month: "short", timeZone: zone });
    const note = document.querySelector("[data-visitor-zone]");
    const label = note ? note.dataset.label : "";
    elements.forEach((element) => {
      const start = new Date(element.dataset.start);
      const end = new Date(element.dataset.end);
      element.textContent = `${label}: ${day.format(start)} ${time.format(start)}–${time.format(end)}`;
      element.hidden = false;
    });
    if (note) {
      note.textContent = `${label}: ${zone}.`;
      note.hidden = false;
    }
  }

  document.addEventListener("DOMContentLoaded", showVisitorTimes);
})();
