// The consultation form's enhancements. Without JavaScript the form works the same; each part
// below only makes a failure less likely or easier to see on a phone.
(function () {
  "use strict";

  // After a failed submit the page reloads at the top: focus moves to the error summary (first
  // in <main>) so a phone shows it and a screen reader reads it out, as the GOV.UK Design System
  // does. Each of its links then moves focus to its field with the field's label or legend in
  // view: jumping to the input alone would hide the question above it.
  function errorSummary() {
    var summary = document.getElementById("form-errors");
    if (!summary) {
      return;
    }
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var input = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!input) {
        return;
      }
      event.preventDefault();
      question(input).scrollIntoView();
      input.focus({ preventScroll: true });
    });
  }

  // The legend when it asks the question (radios, checkboxes) or sits close above the field,
  // otherwise the field's own label: the GOV.UK error summary's rule.
  function question(input) {
    var fieldset = input.closest("fieldset");
    var legend = fieldset && fieldset.querySelector("legend");
    if (legend) {
      if (input.type === "checkbox" || input.type === "radio") {
        return legend;
      }
      var box = input.getBoundingClientRect();
      if (box.bottom - legend.getBoundingClientRect().top < window.innerHeight / 2) {
        return legend;
      }
    }
    return document.querySelector("label[for='" + input.id + "']") || input;
  }

  // Says which clinic will receive the details as soon as an enquiry type is chosen, before the
  // form is sent. Without JavaScript the notice states the rule in general terms.
  function routingNotice() {
    var select = document.getElementById("id_enquiry_type");
    var notice = document.getElementById("routing-notice");
    if (!select || !notice) {
      return;
    }
    var routed = {};
    (notice.getAttribute("data-routed-away") || "").split(";").forEach(function (pair) {
      var parts = pair.split("=");
      if (parts.length === 2) {
        routed[parts[0]] = parts[1];
      }
    });
    var text = notice.querySelector("p");
    function update() {
      var clinic = routed[select.value];
      notice.hidden = !clinic;
      if (clinic) {
        text.textContent = "";
        var strong = document.createElement("strong");
        strong.textContent = "Your details will go to " + clinic;
        text.appendChild(strong);
        text.appendChild(document.createTextNode(
          ", our sister clinic that carries out laser removal. They will contact you, and " +
          "Restoration U will receive a copy."
        ));
      }
    }
    select.addEventListener("change", update);
    update();
  }

  // Photos straight from a phone (three of 5 to 15 MB) can make the request larger than the
  // server accepts (MAX_REQUEST_BYTES), which ends on the 413 page. Before sending, each photo
  // larger than the clinic keeps (ENQUIRY_PHOTO_MAX_EDGE), or over its format's limits, is made
  // smaller here: redrawn as a JPEG of at most that many pixels on its long edge, upright and
  // without the camera's metadata, as the server would keep it anyway. A file that still cannot
  // be sent (not a photo, one too many, too large) is left out and the message beside the field
  // says so. The limits come from the input's data attributes, written from settings.
  var JPEG_QUALITY = 0.85;
  // Room in the request for the form's other fields and the multipart framing.
  var FIELDS_ALLOWANCE = 512 * 1024;

  function megabytes(bytes) {
    return (bytes / 1048576).toFixed(1) + " MB";
  }

  function decode(file) {
    // createImageBitmap applies the photo's EXIF orientation, so the copy is upright.
    return window.createImageBitmap(file).catch(function () {
      return null;
    });
  }

  function redrawAsJpeg(bitmap, longEdge, name) {
    var scale = Math.min(1, longEdge / Math.max(bitmap.width, bitmap.height));
    var canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    var context = canvas.getContext("2d");
    context.fillStyle = "#fff"; // transparent parts of a PNG or WebP, as JPEG has no transparency
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.imageSmoothingQuality = "high";
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    return new Promise(function (resolve) {
      canvas.toBlob(function (blob) {
        canvas.width = canvas.height = 0; // give the memory back at once, on a phone
        resolve(blob && new File([blob], name.replace(/\.[^.]*$/, "") + ".jpg", {
          type: "image/jpeg",
          lastModified: Date.now(),
        }));
      }, "image/jpeg", JPEG_QUALITY);
    });
  }

  // One photo as it will be sent: {file} to send, or {problem} saying why it cannot be.
  function prepare(file, limits) {
    var maxBytes = limits.maxBytes[file.type];
    return decode(file).then(function (bitmap) {
      if (!bitmap) {
        // A file this browser cannot draw goes as it is when the server may still take it
        // (the server then says precisely what is wrong with it).
        if (maxBytes === undefined) {
          return { problem: "it is not a JPEG, PNG or WebP photo" };
        }
        return file.size > maxBytes
          ? { problem: "it is " + megabytes(file.size) + "; the limit is " + megabytes(maxBytes) }
          : { file: file };
      }
      var pixels = bitmap.width * bitmap.height;
      var fits = maxBytes !== undefined && file.size <= maxBytes &&
        pixels <= limits.maxPixels[file.type] &&
        Math.max(bitmap.width, bitmap.height) <= limits.maxEdge;
      if (fits) {
        bitmap.close();
        return { file: file };
      }
      return redrawAsJpeg(bitmap, limits.maxEdge, file.name).then(function (smaller) {
        if (!smaller) {
          return { problem: "it could not be made smaller" };
        }
        if (smaller.size > limits.maxBytes["image/jpeg"]) {
          return { problem: "it is still " + megabytes(smaller.size) + " after making it smaller" };
        }
        return { file: smaller, madeSmaller: true };
      });
    });
  }

  function photoPreparation() {
    var input = document.getElementById("id_photos");
    var status = document.getElementById("photos-status");
    var form = input && input.form;
    if (!input || !status || !form || !window.createImageBitmap || !window.DataTransfer) {
      return;
    }
    var limits = {
      maxPhotos: Number(input.getAttribute("data-max-photos")),
      maxRequest: Number(input.getAttribute("data-max-request-bytes")),
      maxEdge: Number(input.getAttribute("data-max-edge")),
      maxBytes: JSON.parse(input.getAttribute("data-max-bytes")),
      maxPixels: JSON.parse(input.getAttribute("data-max-pixels")),
    };
    var pending = null;
    var sendWhenReady = false;

    function say(lines, isProblem) {
      status.textContent = "";
      status.classList.toggle("photos-status--problem", isProblem);
      var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      described = described.filter(function (id) { return id !== status.id; });
      if (lines.length) {
        lines.forEach(function (line) {
          var p = document.createElement("p");
          p.textContent = line;
          status.appendChild(p);
        });
        if (isProblem) {
          described.push(status.id);
        }
      }
      if (described.length) {
        input.setAttribute("aria-describedby", described.join(" "));
      } else {
        input.removeAttribute("aria-describedby");
      }
    }

    function prepareAll() {
      var chosen = Array.prototype.slice.call(input.files);
      if (!chosen.length) {
        say([], false);
        return Promise.resolve();
      }
      say(["Getting your photos ready to send…"], false);
      var problems = [];
      var kept = [];
      var madeSmaller = 0;
      // One at a time: a phone has memory for one full-size photo, not three.
      return chosen.reduce(function (previous, file, index) {
        return previous.then(function () {
          if (index >= limits.maxPhotos) {
            problems.push(file.name + " was left out: you can send up to " + limits.maxPhotos +
              " photos.");
            return;
          }
          return prepare(file, limits).then(function (result) {
            if (result.problem) {
              problems.push(file.name + " was left out: " + result.problem + ".");
              return;
            }
            kept.push(result.file);
            madeSmaller += result.madeSmaller ? 1 : 0;
          });
        });
      }, Promise.resolve()).then(function () {
        var total = 0;
        kept = kept.filter(function (file) {
          if (total + file.size + FIELDS_ALLOWANCE <= limits.maxRequest) {
            total += file.size;
            return true;
          }
          problems.push(file.name + " was left out: together the photos are too large to send.");
          return false;
        });
        var transfer = new DataTransfer();
        kept.forEach(function (file) { transfer.items.add(file); });
        input.files = transfer.files;
        var lines = problems.slice();
        if (problems.length) {
          lines.push("Choose the photos again to send different ones, or bring them to your " +
            "consultation.");
        } else if (madeSmaller) {
          lines.push(kept.length + " photo" + (kept.length === 1 ? "" : "s") + " ready to send (" +
            madeSmaller + " made smaller so " + (madeSmaller === 1 ? "it sends" : "they send") +
            " quickly).");
        }
        say(lines, problems.length > 0);
      });
    }

    input.addEventListener("change", function () {
      var current = prepareAll().catch(function () {
        // Whatever failed here, the photos go as chosen: the server still checks every one.
        say([], false);
      }).then(function () {
        if (pending === current) {
          pending = null;
          if (sendWhenReady) {
            sendWhenReady = false;
            // The button named "submit" hides the form's own submit(): call it from the prototype.
            if (form.requestSubmit) {
              form.requestSubmit();
            } else {
              HTMLFormElement.prototype.submit.call(form);
            }
          }
        }
      });
      pending = current;
    });

    // Sent before the photos are ready: wait for them, then send.
    form.addEventListener("submit", function (event) {
      if (pending) {
        event.preventDefault();
        sendWhenReady = true;
      }
    });
  }

  errorSummary();
  routingNotice();
  photoPreparation();
})();
