-- Practice texts in both languages (ADR 0039): beside each automatic reply text and staff reply
-- template, its Spanish text; the one sent is the patient's language (English when none is kept).
alter table triage_template add column body_es text;

-- the default texts every practice started with get their Spanish, unless the practice rewrote them
update triage_template set body_es = 'Esta es una respuesta automática de {practice}. Su mensaje podría describir una emergencia. Los mensajes seguros no son para emergencias: {emergency-help} Hemos pasado su mensaje a nuestro equipo de guardia.'
 where kind = 'automatic' and name = 'Emergency' and body like 'This is an automatic reply from {practice}. Your message may describe an emergency.%';
update triage_template set body_es = 'Esta es una respuesta automática de {practice}. Recibimos su mensaje y le responderemos a más tardar el {expected-by}. Si sus síntomas empeoran, llame al consultorio o al 911.'
 where kind = 'automatic' and name = 'Acknowledgement' and body like 'This is an automatic reply from {practice}. We received your message and will answer by {expected-by}.%';
update triage_template set body_es = 'Esta es una respuesta automática de {practice}. El consultorio está cerrado en este momento; volvemos a abrir el {next-opening} y le responderemos a más tardar el {expected-by}. Si se trata de una emergencia, llame al 911; si tiene una crisis de salud mental, llame o envíe un mensaje de texto al 988.'
 where kind = 'automatic' and name = 'After hours' and body like 'This is an automatic reply from {practice}. The office is closed now;%';
update triage_template set body_es = 'Esta es una respuesta automática de {practice}. Recibimos su solicitud de reposición de receta. Las reposiciones se tramitan a más tardar el {expected-by}; dele a su farmacia un día más. Los medicamentos controlados requieren una consulta.'
 where kind = 'automatic' and name = 'Refill policy' and body like 'This is an automatic reply from {practice}. We received your refill request.%';
update triage_template set body_es = 'Gracias por usar los mensajes seguros de {practice}, {patient}. Esta es una respuesta automática: recibimos su mensaje y el equipo de atención le responderá a más tardar el {expected-by}. {after-hours} Los mensajes seguros no son para emergencias: llame al 911 o, si tiene una crisis de salud mental, al 988.'
 where kind = 'automatic' and name = 'Welcome' and body like 'Thank you for using secure messaging with {practice}, {patient}.%';
update triage_template set body_es = 'Hola, {patient}: su receta se envió a su farmacia. {staff}, {practice}'
 where kind = 'staff' and name = 'Refill sent' and body like 'Hello {patient}, your refill has been sent to your pharmacy.%';
update triage_template set body_es = 'Hola, {patient}: necesitamos verle en consulta por esto. Llame al consultorio o responda con los días y horas que le convengan. {staff}, {practice}'
 where kind = 'staff' and name = 'Appointment needed' and body like 'Hello {patient}, we need to see you for this.%';
update triage_template set body_es = 'Hola, {patient}: gracias por su mensaje. Lo estamos revisando y le responderemos a más tardar el {expected-by}. {staff}, {practice}'
 where kind = 'staff' and name = 'Looking into it' and body like 'Hello {patient}, thank you for your message. We are looking into it%';
