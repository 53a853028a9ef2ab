// Beside each <time data-local="… %s …">, the same moment in the reader's own time zone, in the page's language.
// The page already gives it in the zone that counts (a call's): without this script nothing is missing.
"use strict";
(function () {
  const language = document.documentElement.lang || undefined;
  // dateStyle and timeStyle cannot be combined with timeZoneName: the parts are named one by one.
  const format = new Intl.DateTimeFormat(language, {
    year: "numeric",
    month: "long",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
  });
  document.querySelectorAll("time[data-local]").forEach(function (element) {
    const moment = new Date(element.getAttribute("datetime"));
    if (Number.isNaN(moment.getTime())) {
      return;
    }
    const note = document.createElement("span");
    note.className = "d-block small text-body-secondary local-time";
    note.textContent = element.dataset.local.replace("%s", format.format(moment));
    element.after(note);
  });
})();
