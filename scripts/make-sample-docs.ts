/**
 * Generates the binary documents of the sample knowledge base (PDF with pdfkit, DOCX with docx),
 * once, from the text below; the outputs are committed. Run: `npm run make:sample-docs`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { Document, HeadingLevel, Packer, Paragraph } from 'docx';

const OUT = join(__dirname, '..', 'data', 'knowledge');
const FIXED_DATE = new Date('2025-01-15T09:00:00Z');

interface Page {
  heading: string;
  paragraphs: string[];
}

const handbook: Page[] = [
  {
    heading: 'Welcome and working hours',
    paragraphs: [
      'This handbook describes the employment policies of Contoso Outfitters for employees in the United States. It is maintained by Human Resources and applies from 1 January 2025. Where a country supplement or your employment contract says otherwise, the supplement or contract applies.',
      'The standard working week is 40 hours, Monday to Friday. Core hours, when everyone is expected to be available for meetings, are 10 am to 3 pm in your local time zone. Outside core hours you can arrange your working time with your manager.',
      'Overtime for non-exempt employees must be approved by the manager in advance and is paid at 1.5 times the regular hourly rate.',
    ],
  },
  {
    heading: 'Annual leave and public holidays',
    paragraphs: [
      'Full-time employees receive 25 days of paid annual leave per calendar year, plus the 10 US public holidays observed by the company. Part-time employees receive leave in proportion to their contracted hours. After 5 years of service, annual leave increases to 28 days.',
      'Request leave in the HR portal at least 2 weeks in advance for absences of more than 3 days. Your manager approves or declines the request within 5 business days.',
      'Up to 5 unused days of annual leave can be carried over to the next year and must be taken by 31 March. Any other unused leave expires at the end of the year and is not paid out, except on termination of employment, when accrued unused leave is paid with the final salary.',
    ],
  },
  {
    heading: 'Sick leave and parental leave',
    paragraphs: [
      "If you are ill, tell your manager before 10 am on the first day of absence. You receive up to 10 days of paid sick leave per year. For absences longer than 3 consecutive days, upload a doctor's note to the HR portal.",
      'All parents, regardless of gender, receive 16 weeks of fully paid parental leave within 12 months of the birth or adoption of a child. Parental leave can be taken in up to three blocks. Tell HR at least 8 weeks before the leave starts.',
      'Employees may take up to 5 days of paid compassionate leave after the death of a close family member.',
    ],
  },
  {
    heading: 'Expenses and business travel',
    paragraphs: [
      'Book business travel through the corporate travel portal. Economy class is used for flights under 6 hours; premium economy may be booked for longer flights with manager approval.',
      'Submit expense claims in the expense app within 30 days, with a photo of each receipt. The daily meal allowance on business trips is 75 USD within the United States and 95 USD abroad. Alcohol is not reimbursed.',
      'Claims are approved by your manager and paid with the next monthly salary.',
    ],
  },
  {
    heading: 'Remote work and equipment',
    paragraphs: [
      'Employees may work remotely up to 3 days per week in agreement with their manager. Teams in stores and in the warehouse follow their site schedules instead.',
      'Remote workers receive a one-time home office stipend of 500 USD for a desk, chair or lighting, and a monthly internet allowance of 40 USD paid with the salary.',
      'Working from another country for more than 10 working days per year requires approval from HR because of tax and immigration rules.',
    ],
  },
  {
    heading: 'Performance reviews and pay',
    paragraphs: [
      'Performance reviews take place twice a year, in June and December. The December review determines the salary increase, which takes effect on 1 March.',
      'The annual bonus for eligible employees is paid in March and is based on company results and individual goals. Salary is paid monthly on the last business day of the month.',
    ],
  },
  {
    heading: 'Code of conduct and raising concerns',
    paragraphs: [
      'We expect every employee to treat colleagues, customers and partners with respect. Harassment and discrimination of any kind are not tolerated.',
      'You can raise a concern with your manager, with HR, or anonymously through the Speak Up hotline at 1-800-555-0199, which is run by an independent provider and available 24 hours a day. Retaliation against anyone who raises a concern in good faith is a disciplinary offence.',
    ],
  },
];

const warranty: Page[] = [
  {
    heading: 'Product warranty',
    paragraphs: [
      'All Contoso Outfitters products come with a 2-year limited warranty against defects in materials and workmanship, starting on the date of delivery. Outdoor equipment from our Trailhead line, including tents and backpacks, carries a lifetime warranty for the original owner.',
      'The warranty does not cover normal wear and tear, damage caused by accidents, improper care or alterations, or products bought from unauthorised resellers.',
    ],
  },
  {
    heading: 'Making a warranty claim',
    paragraphs: [
      'To make a claim, contact customer service with your order number, a description of the defect and photos. You do not need the original packaging. We reply within 2 business days.',
      'If the claim is approved we repair the product, replace it with the same or an equivalent model, or refund the purchase price if neither repair nor replacement is possible. Shipping costs for warranty claims are paid by Contoso Outfitters.',
      'Repairs are usually completed within 15 business days. A replaced or repaired product is covered for the rest of the original warranty period or 6 months, whichever is longer.',
    ],
  },
];

function writePdf(file: string, title: string, pages: Page[]): void {
  const doc = new PDFDocument({
    autoFirstPage: false,
    info: { Title: title, Author: 'Contoso Outfitters', CreationDate: FIXED_DATE },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  doc.on('end', () => writeFileSync(join(OUT, file), Buffer.concat(chunks)));
  pages.forEach((page, i) => {
    doc.addPage({ size: 'LETTER', margin: 72 });
    if (i === 0) doc.font('Helvetica-Bold').fontSize(20).text(title).moveDown();
    doc.font('Helvetica-Bold').fontSize(14).text(page.heading).moveDown(0.5);
    for (const p of page.paragraphs) doc.font('Helvetica').fontSize(11).text(p, { align: 'left' }).moveDown();
  });
  doc.end();
}

const contractTemplates: { heading: string; paragraphs: string[] }[] = [
  {
    heading: 'How to use these templates',
    paragraphs: [
      'This document collects the standard contract templates of Contoso Outfitters for the legal team. Always start from the latest template in the contract repository and record every deviation in the negotiation log.',
    ],
  },
  {
    heading: 'Supplier agreement',
    paragraphs: [
      'Payment terms are net 60 days from the date of a correct invoice. Suppliers must comply with the Supplier Code of Conduct and allow audits with 10 business days of notice.',
      "The supplier's total liability is capped at 2 times the fees paid in the previous 12 months, except for breaches of confidentiality, data protection and indemnities, which are uncapped. Either party may terminate for convenience with 90 days of written notice.",
    ],
  },
  {
    heading: 'Software licence and SaaS agreement',
    paragraphs: [
      'The vendor must keep customer data within the United States or the European Union and notify us of a personal data breach within 48 hours. Service level: 99.9 percent monthly availability, with service credits of 5 percent of the monthly fee for each 0.1 percent below target.',
      'Annual price increases are limited to 5 percent or the consumer price index, whichever is lower.',
    ],
  },
  {
    heading: 'Consulting services agreement',
    paragraphs: [
      'Work is ordered through statements of work signed by a director or above. Intellectual property created for Contoso is assigned to Contoso on payment. Consultants must complete the security awareness training before receiving system access.',
    ],
  },
];

async function writeDocx(file: string, title: string): Promise<void> {
  const children = [new Paragraph({ text: title, heading: HeadingLevel.HEADING_1 })];
  for (const s of contractTemplates) {
    children.push(new Paragraph({ text: s.heading, heading: HeadingLevel.HEADING_2 }));
    for (const p of s.paragraphs) children.push(new Paragraph({ text: p }));
  }
  const doc = new Document({ creator: 'Contoso Outfitters Legal', title, sections: [{ children }] });
  writeFileSync(join(OUT, file), await Packer.toBuffer(doc));
}

writePdf('hr/employee-handbook.pdf', 'Employee handbook', handbook);
writePdf('customer-service/warranty.pdf', 'Product warranty', warranty);
void writeDocx('legal/contract-templates.docx', 'Contract templates').then(() =>
  console.log('sample documents written to', OUT),
);
