import { launchBrowser, axeViolations, formatViolations } from './e2e/lib/browser.mjs';
const b = await launchBrowser();
const page = await b.newPage();
await page.setContent('<html><body><button></button><img src="x.png"><div style="color:#777;background:#888">low contrast</div></body></html>');
const v = await axeViolations(page);
console.log(v.length, formatViolations(v).slice(0, 600));
await b.close();
