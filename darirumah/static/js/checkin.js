// DariRumah check-in page: fill the hidden location fields from the browser's geolocation.
// The form works without this script (the place is then recorded as unknown).
(function () {
  "use strict";

  var form = document.querySelector("form[data-checkin]");
  if (!form || !("geolocation" in navigator)) {
    return;
  }
  var strings = document.getElementById("checkin-strings");
  var status = form.querySelector("[data-location-status]");
  function say(key, value) {
    if (!status || !strings) {
      return;
    }
    var text = strings.getAttribute("data-" + key) || "";
    status.textContent = value === undefined ? text : text + " (±" + value + " m)";
  }

  var waiting = false;
  var fixed = false;
  var sent = false;

  function send() {
    if (!sent) {
      sent = true;
      form.submit();
    }
  }

  function fill(position) {
    form.elements.latitude.value = position.coords.latitude.toFixed(7);
    form.elements.longitude.value = position.coords.longitude.toFixed(7);
    form.elements.accuracy.value = Math.round(position.coords.accuracy);
    fixed = true;
    say("found", Math.round(position.coords.accuracy));
  }

  say("locating");
  navigator.geolocation.getCurrentPosition(
    function (position) {
      fill(position);
      if (waiting) {
        send();
      }
    },
    function () {
      say("denied");
      if (waiting) {
        send();
      }
    },
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 0 }
  );

  // Give the location a few seconds to arrive before sending; never block the check-in.
  form.addEventListener("submit", function (event) {
    if (fixed || waiting) {
      return;
    }
    event.preventDefault();
    waiting = true;
    var button = form.querySelector("button[type=submit]");
    if (button) {
      button.disabled = true;
    }
    window.setTimeout(send, 8000);
  });
})();
