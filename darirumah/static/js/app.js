// DariRumah: small page behaviours. Everything works without JavaScript; this only helps.
(function () {
  "use strict";

  // Ask before a destructive form is sent: <form data-confirm="Revoke?">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // Send a small filter form when its select changes: <select data-autosubmit>.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) {
      el.form.submit();
    }
  });

  // Copy a value: <button data-copy-target="#id" data-copied-text="Copied">.
  function copyText(input) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(input.value);
    }
    // Plain http (an intranet server): select the text and use the old command.
    input.focus();
    input.select();
    var ok = document.execCommand && document.execCommand("copy");
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy-target]");
    if (!button) {
      return;
    }
    var input = document.querySelector(button.getAttribute("data-copy-target"));
    if (!input) {
      return;
    }
    copyText(input).then(function () {
      var done = button.getAttribute("data-copied-text");
      if (done) {
        button.textContent = done;
      }
    }, function () {
      input.select();
    });
  });
})();
