// DariRumah check-in page: fill the hidden location fields from the browser's geolocation and
// send a smaller copy of the photo.
// The form works without this script (the place is then recorded as unknown).
(function () {
  "use strict";

  var form = document.querySelector("form[data-checkin]");
  if (form) {
    shrinkPhotos(form);
  }
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

  // A phone camera's photo is several megabytes; on a crowded network at 07:25 that is a slow
  // upload and someone's data plan. The browser sends a copy of at most 1024 px instead, the
  // size the server keeps (it checks and cleans whatever it gets). Anything unsupported keeps
  // the original file.
  function shrinkPhotos(form) {
    var input = form.querySelector("input[type=file][name=photo]");
    if (!input || !window.DataTransfer || !window.createImageBitmap || !HTMLCanvasElement.prototype.toBlob) {
      return;
    }
    var MAX_SIDE = 1024; // attendance/services/checkin_photo.py MAX_SIDE_PX
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file || !/^image\//.test(file.type) || file.size < 300 * 1024) {
        return;
      }
      createImageBitmap(file, { imageOrientation: "from-image" })
        .then(function (bitmap) {
          var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
          var canvas = document.createElement("canvas");
          canvas.width = Math.round(bitmap.width * scale);
          canvas.height = Math.round(bitmap.height * scale);
          canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
          canvas.toBlob(
            function (blob) {
              if (!blob || blob.size >= file.size) {
                return;
              }
              var copy = new DataTransfer();
              copy.items.add(new File([blob], "selfie.jpg", { type: "image/jpeg" }));
              input.files = copy.files;
            },
            "image/jpeg",
            0.85
          );
        })
        .catch(function () {
          /* keep the original photo */
        });
    });
  }
})();
