// Says which clinic will receive the details as soon as an enquiry type is chosen, before the
// form is sent. Without JavaScript the notice states the rule in general terms.
(function () {
  "use strict";
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
})();
