// Runs before the page is drawn (a small blocking script, allowed by the CSP as a file of this
// site): marks that JavaScript is on, so enhanced layouts are drawn once, without a shift.
document.documentElement.classList.add("js");
