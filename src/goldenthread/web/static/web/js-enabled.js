// Runs before the page is painted, so GOV.UK components render in their
// JavaScript-enabled form without a flash.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
