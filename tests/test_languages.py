"""The phrase rules in six more languages (data/languages/*.yaml), language identification, and the verdict's
notice for a language no rule reads. Invented wording, written for these tests (not the dev casebook's)."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from counterpitch.detectors.context import Context
from counterpitch.detectors.languages import LanguageRules, load
from counterpitch.detectors.phrases import PhraseDetector
from counterpitch.detectors.registry import default_registry
from counterpitch.engine import Engine
from counterpitch.language import covered, identify
from counterpitch.model import Approach
from tests.helpers import approach

_ENGLISH = [d for d in default_registry(plugins=False) if isinstance(d, PhraseDetector)]
_RULES = LanguageRules(_ENGLISH)
SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "schemas" / "assessment.schema.json"


def fired(code: str, text: str) -> set[str]:
    """The detectors the rules of language `code` fire on a message (identification aside)."""
    loaded = _RULES.rules(code)
    assert loaded is not None
    return {f.detector for f in _RULES.findings(approach(text), code, Context(phrases=loaded[1]))}


# (language, detector, text): the detector fires. Several voices: formal, terse, non-native, money in words.
POSITIVE = [
    # French
    (
        "fr",
        "lure.paid_reports",
        "Nous vous proposons entre 1 500 et 3 000 euros par note sur les arbitrages budgétaires.",
    ),
    ("fr", "lure.paid_reports", "Mon client vous verse deux mille euros pour chaque rapport, c'est bien payé non ?"),
    ("fr", "lure.paid_reports", "vous donnez juste votre avis, on paie 500 euros l'appel"),
    ("fr", "lure.paid_travel", "Votre séjour à Pékin est entièrement pris en charge : vols, hôtel et visites."),
    ("fr", "lure.paid_travel", "voyage tous frais payés pour vous et votre conjoint"),
    ("fr", "lure.off_platform", "On continue sur Telegram ? Plus pratique pour moi."),
    ("fr", "lure.off_platform", "Pouvez-vous m'envoyer votre numéro personnel pour qu'on parle plus librement ?"),
    ("fr", "lure.secrecy", "Tout ceci doit rester entre nous, inutile d'en parler à votre direction."),
    ("fr", "lure.secrecy", "Pas de contrat, pas de facture : c'est plus simple."),
    ("fr", "lure.nonpublic_request", "Pourriez-vous me transmettre le projet de rapport avant sa publication ?"),
    ("fr", "lure.nonpublic_request", "Mon client aimerait connaître les documents internes du cabinet sur ce dossier."),
    (
        "fr",
        "lure.install_software",
        "Merci de télécharger l'outil d'évaluation et de l'installer sur votre ordinateur.",
    ),
    ("fr", "lure.install_software", "Vous trouverez le fichier en pièce jointe : lancez setup.exe avant l'entretien."),
    ("fr", "lure.credential_request", "Veuillez vous connecter avec vos identifiants professionnels sur le portail."),
    ("fr", "lure.remote_access", "Installez AnyDesk pour que je puisse voir votre écran pendant le test."),
    ("fr", "lure.cash_crypto_gifts", "Nous pouvons vous payer en bitcoins si vous préférez."),
    ("fr", "lure.cv_clearance", "Merci de préciser votre niveau d'habilitation dans votre CV."),
    ("fr", "lure.unnamed_client", "Mon client est un fonds à l'étranger, je ne peux pas le nommer."),
    # German
    ("de", "lure.paid_reports", "Für jede kurze Einschätzung zahlen wir Ihnen zwischen 1.500 und 3.000 Euro."),
    ("de", "lure.paid_reports", "mein kunde zahlt ihnen zweitausend euro pro bericht, sehr gut bezahlt"),
    ("de", "lure.paid_reports", "Wir bieten Ihnen ein großzügiges Honorar für Ihre Sicht auf die Verhandlungen."),
    ("de", "lure.paid_travel", "Die Reise nach Shanghai ist vollständig finanziert, Flüge und Hotel übernehmen wir."),
    ("de", "lure.paid_travel", "alle kosten für flug und hotel übernehmen wir natürlich"),
    ("de", "lure.off_platform", "Lass uns lieber auf Telegram weiterschreiben."),
    ("de", "lure.off_platform", "Geben Sie mir bitte Ihre private Handynummer, dann melde ich mich."),
    ("de", "lure.secrecy", "Das bleibt unter uns, Ihr Vorgesetzter muss davon nichts wissen."),
    ("de", "lure.secrecy", "Wir machen das ganz diskret und ohne Vertrag."),
    ("de", "lure.nonpublic_request", "Könnten Sie mir den internen Entwurf schicken, bevor er veröffentlicht wird?"),
    ("de", "lure.nonpublic_request", "Mein Mandant möchte wissen, was im Ausschuss vertraulich besprochen wurde."),
    (
        "de",
        "lure.install_software",
        "Bitte laden Sie die Testsoftware herunter und installieren Sie sie auf Ihrem Rechner.",
    ),
    ("de", "lure.install_software", "Im Anhang finden Sie die Datei; führen Sie setup.exe vor dem Gespräch aus."),
    ("de", "lure.credential_request", "Melden Sie sich bitte mit Ihren dienstlichen Zugangsdaten auf dem Portal an."),
    ("de", "lure.remote_access", "Für das Interview brauche ich Fernzugriff auf Ihren Rechner über TeamViewer."),
    ("de", "lure.cash_crypto_gifts", "Die Bezahlung kann auch in Bitcoin erfolgen, wenn Ihnen das lieber ist."),
    ("de", "lure.cv_clearance", "Bitte nennen Sie Ihre Sicherheitsüberprüfung (Ü2/Ü3) im Lebenslauf."),
    ("de", "lure.unnamed_client", "Mein Auftraggeber sitzt im Ausland und möchte anonym bleiben."),
    # Spanish
    ("es", "lure.paid_reports", "Le pagamos entre 1.500 y 3.000 euros por cada informe breve."),
    ("es", "lure.paid_reports", "mi cliente te paga dos mil euros por tu opinión, muy bien pagado"),
    ("es", "lure.paid_reports", "Ofrecemos honorarios generosos por su análisis de la negociación."),
    ("es", "lure.paid_travel", "El viaje a Shanghái corre por nuestra cuenta: vuelos, hotel y visitas."),
    ("es", "lure.paid_travel", "viaje con todos los gastos pagados para usted y su pareja"),
    ("es", "lure.off_platform", "¿Seguimos por Telegram? Es más cómodo."),
    ("es", "lure.off_platform", "Envíeme su correo personal y le mando los detalles."),
    ("es", "lure.secrecy", "Esto queda entre nosotros, no hace falta informar a su jefe."),
    ("es", "lure.secrecy", "Sin contrato y sin factura, todo muy discreto."),
    ("es", "lure.nonpublic_request", "¿Podría enviarme el borrador interno antes de que se publique?"),
    ("es", "lure.nonpublic_request", "A mi cliente le interesa saber lo que se discute en privado en el ministerio."),
    ("es", "lure.install_software", "Por favor, descargue la aplicación de prueba e instálela en su ordenador."),
    ("es", "lure.install_software", "Le envío el archivo adjunto: ejecute setup.exe antes de la entrevista."),
    ("es", "lure.credential_request", "Inicie sesión en el portal con sus credenciales corporativas."),
    ("es", "lure.remote_access", "Necesito acceso remoto a su ordenador con AnyDesk para la prueba."),
    ("es", "lure.cash_crypto_gifts", "Podemos pagarle en bitcoins si lo prefiere."),
    ("es", "lure.cv_clearance", "Indique en su currículum su nivel de habilitación de seguridad, por favor."),
    ("es", "lure.unnamed_client", "Mi cliente es un fondo extranjero que prefiere no dar su nombre."),
    # Italian
    ("it", "lure.paid_reports", "Le paghiamo tra 1.500 e 3.000 euro per ogni breve relazione."),
    ("it", "lure.paid_reports", "il mio cliente ti paga duemila euro per il tuo parere, ben pagato"),
    ("it", "lure.paid_reports", "Offriamo un compenso generoso per la sua analisi dei negoziati."),
    ("it", "lure.paid_travel", "Il viaggio a Shanghai è a carico nostro: voli, hotel e visite."),
    ("it", "lure.paid_travel", "viaggio con tutte le spese pagate per lei e il suo compagno"),
    ("it", "lure.off_platform", "Continuiamo su Telegram? È più comodo."),
    ("it", "lure.off_platform", "Mi mandi il suo numero personale così ci sentiamo."),
    ("it", "lure.secrecy", "Questo resta tra noi, non serve informare il suo capo."),
    ("it", "lure.secrecy", "Niente contratto, massima discrezione."),
    ("it", "lure.nonpublic_request", "Potrebbe inviarmi la bozza interna prima che venga pubblicata?"),
    ("it", "lure.nonpublic_request", "Al mio cliente interessa sapere cosa si dice in privato al ministero."),
    ("it", "lure.install_software", "La preghiamo di scaricare l'applicazione di test e installarla sul suo computer."),
    ("it", "lure.install_software", "In allegato trova il file: esegua setup.exe prima del colloquio."),
    ("it", "lure.credential_request", "Acceda al portale con le sue credenziali aziendali."),
    ("it", "lure.remote_access", "Mi serve accesso remoto al suo computer con AnyDesk per il test."),
    ("it", "lure.cash_crypto_gifts", "Possiamo pagarla in bitcoin se preferisce."),
    ("it", "lure.cv_clearance", "Indichi nel curriculum il suo nulla osta di sicurezza, per favore."),
    ("it", "lure.unnamed_client", "Il mio cliente è un fondo straniero e preferisce restare anonimo."),
    # Dutch
    ("nl", "lure.paid_reports", "Wij betalen u tussen de 1.500 en 3.000 euro per notitie."),
    ("nl", "lure.paid_reports", "mijn klant betaalt je tweeduizend euro voor je mening, goed betaald"),
    ("nl", "lure.paid_reports", "Wij bieden een royale vergoeding voor uw analyse van de onderhandelingen."),
    ("nl", "lure.paid_travel", "De reis naar Shanghai is voor onze rekening: vluchten, hotel en excursies."),
    ("nl", "lure.paid_travel", "reis met alle kosten vergoed voor u en uw partner"),
    ("nl", "lure.off_platform", "Zullen we verder praten via Telegram? Dat is makkelijker."),
    ("nl", "lure.off_platform", "Stuur me uw privé e-mail, dan stuur ik de details."),
    ("nl", "lure.secrecy", "Dit blijft tussen ons, uw leidinggevende hoeft het niet te weten."),
    ("nl", "lure.secrecy", "Geen contract en heel discreet."),
    ("nl", "lure.nonpublic_request", "Kunt u mij de interne conceptversie sturen voordat het openbaar wordt?"),
    ("nl", "lure.nonpublic_request", "Mijn klant wil graag weten wat er vertrouwelijk besproken is."),
    ("nl", "lure.install_software", "Wij vragen u de testapplicatie te downloaden en op uw laptop te installeren."),
    ("nl", "lure.install_software", "Het bestand zit in de bijlage: open setup.exe voor het gesprek."),
    ("nl", "lure.credential_request", "Log in op het portaal met uw zakelijke inloggegevens."),
    ("nl", "lure.remote_access", "Ik heb toegang op afstand tot uw computer nodig via AnyDesk."),
    ("nl", "lure.cash_crypto_gifts", "We kunnen u ook in bitcoin betalen als u dat liever heeft."),
    ("nl", "lure.cv_clearance", "Vermeld alstublieft uw screeningsniveau in uw cv."),
    ("nl", "lure.unnamed_client", "Mijn klant is een buitenlands fonds dat anoniem wil blijven."),
    # Polish
    ("pl", "lure.paid_reports", "Płacimy Panu od 1500 do 3000 euro za każdy krótki raport."),
    ("pl", "lure.paid_reports", "mój klient zapłaci ci dwa tysiące euro za twoją opinię, dobrze płatne"),
    ("pl", "lure.paid_reports", "Oferujemy Pani hojne wynagrodzenie za analizę negocjacji."),
    ("pl", "lure.paid_travel", "Podróż do Szanghaju jest na nasz koszt: przeloty, hotel i wycieczki."),
    ("pl", "lure.paid_travel", "wyjazd, wszystkie koszty pokrywamy, dla Pana i partnerki"),
    ("pl", "lure.off_platform", "Przejdziemy na Telegram? Tak będzie wygodniej."),
    ("pl", "lure.off_platform", "Proszę podać prywatny numer telefonu, to zadzwonię."),
    ("pl", "lure.secrecy", "To zostanie między nami, nie trzeba informować przełożonego."),
    ("pl", "lure.secrecy", "Bez umowy, wszystko dyskretnie."),
    ("pl", "lure.nonpublic_request", "Czy mógłby Pan przesłać wewnętrzny projekt dokumentu przed publikacją?"),
    ("pl", "lure.nonpublic_request", "Mój klient chciałby wiedzieć, co poufnie ustalono w ministerstwie."),
    ("pl", "lure.install_software", "Prosimy pobrać aplikację testową i zainstalować ją na służbowym komputerze."),
    ("pl", "lure.install_software", "Plik jest w załączniku: proszę uruchomić setup.exe przed rozmową."),
    ("pl", "lure.credential_request", "Proszę zalogować się na portalu służbowymi danymi logowania."),
    ("pl", "lure.remote_access", "Potrzebuję zdalnego dostępu do Pana komputera przez AnyDesk."),
    ("pl", "lure.cash_crypto_gifts", "Możemy zapłacić w bitcoinach, jeśli Pan woli."),
    ("pl", "lure.cv_clearance", "Proszę podać w CV posiadane poświadczenie bezpieczeństwa."),
    ("pl", "lure.unnamed_client", "Mój klient to zagraniczny fundusz, który chce pozostać anonimowy."),
    # issue 12: the families the English rules had alone (access to politicians, talent spotting, side work)
    (
        "fr",
        "lure.politician_access",
        "Pourriez-vous nous présenter à la ministre, de façon informelle, lors d'un dîner ?",
    ),
    ("fr", "lure.talent_spotting", "Connaissez-vous des collègues endettés ou mécontents de leur hiérarchie ?"),
    ("fr", "lure.moonlighting", "C'est une mission à côté de votre emploi, quelques heures par semaine."),
    (
        "de",
        "lure.politician_access",
        "Könnten Sie uns der Abgeordneten vorstellen, ganz informell bei einem Abendessen?",
    ),
    ("de", "lure.talent_spotting", "Kennen Sie Kollegen, die verschuldet oder mit der Leitung unzufrieden sind?"),
    ("de", "lure.moonlighting", "Das geht ganz nebenbei, neben Ihrem Job, ein paar Stunden pro Woche."),
    ("es", "lure.politician_access", "¿Podría presentarnos al diputado de manera informal, en una cena?"),
    ("es", "lure.talent_spotting", "¿Conoce a compañeros endeudados o descontentos con la dirección?"),
    ("es", "lure.moonlighting", "Es compatible con su empleo actual, unas horas a la semana."),
    ("it", "lure.politician_access", "Potrebbe presentarci al sottosegretario in modo informale, a cena?"),
    ("it", "lure.talent_spotting", "Conosce colleghi indebitati o scontenti della dirigenza?"),
    ("it", "lure.moonlighting", "È compatibile con il suo lavoro attuale, qualche ora a settimana."),
    ("nl", "lure.politician_access", "Kunt u ons informeel voorstellen aan de wethouder, bij een etentje?"),
    ("nl", "lure.talent_spotting", "Kent u collega's die in de schulden zitten of ontevreden zijn over de leiding?"),
    ("nl", "lure.moonlighting", "Het kan gewoon naast uw huidige baan, een paar uur per week."),
    ("pl", "lure.politician_access", "Czy mógłby Pan przedstawić nas posłance, nieformalnie, przy kolacji?"),
    ("pl", "lure.talent_spotting", "Czy zna Pan kolegów zadłużonych albo niezadowolonych z kierownictwa?"),
    ("pl", "lure.moonlighting", "To zajęcie dodatkowe, obok obecnej pracy, kilka godzin w tygodniu."),
    # A rate per piece of writing is addressed to whoever writes it, as in English ("600 GBP for each paper"):
    # no "vous" or "Sie" needed; an article, a paper, an essay is a piece of writing like a report.
    ("fr", "lure.paid_reports", "on règle trois mille euros pour chaque court article sur la filière nucléaire"),
    ("de", "lure.paid_reports", "Wir zahlen 800-1.200 Euro für kurze Artikel zur Rüstungsexportpolitik."),
    ("es", "lure.paid_reports", "pagamos mil euros por cada breve artículo sobre la política naval"),
    ("it", "lure.paid_reports", "Per ogni breve articolo sulla politica spaziale versiamo 900 euro."),
    ("nl", "lure.paid_reports", "We betalen 1.000-2.000 euro voor een korte paper over het havenbeleid."),
    ("pl", "lure.paid_reports", "Płacimy 4000 zł za krótki artykuł o modernizacji armii."),
    # Dutch: travel compounds and the host paying in inverted order; "in te loggen"; one "naam"
    ("nl", "lure.paid_travel", "Een studiereis naar Chengdu: vluchten en hotel betalen wij, u hoeft niets te regelen."),
    ("nl", "lure.credential_request", "Graag vandaag nog in te loggen op het deelnemersportaal met uw werkaccount."),
    ("nl", "lure.talent_spotting", "Zit er op jouw afdeling iemand die krap bij kas zit? Een naam is genoeg."),
    ("es", "lure.nonpublic_request", "Cualquier borrador interno del pliego sería muy útil para nuestro cliente."),
    ("de", "lure.credential_request", "Für den Test geben Sie mir bitte kurz Ihr Passwort für das Portal."),
    ("pl", "lure.secrecy", "Tylko nie mów nic przełożonemu, dobrze?"),
]

# (language, detector, text): the detector stays quiet. Genuine recruiters, conferences that do not pay, declined
# offers, security warnings that quote the lure, and the everyday senses of the same words.
NEGATIVE = [
    # French
    ("fr", "lure.paid_reports", "Nous ne pouvons pas offrir d'honoraires pour votre contribution au rapport."),
    (
        "fr",
        "lure.paid_reports",
        "CDI à Toulouse, salaire entre 55 000 et 65 000 euros par an, pour votre profil d'analyste.",
    ),
    ("fr", "lure.paid_reports", "Votre intervention est bénévole ; nous citerons vos notes publiées."),
    ("fr", "lure.paid_travel", "Malheureusement, nous ne pouvons pas prendre en charge vos frais de voyage."),
    (
        "fr",
        "lure.paid_travel",
        "Les frais de voyage sont à votre charge, remboursés sur justificatifs dans la limite du barème.",
    ),
    ("fr", "lure.off_platform", "Méfiez-vous des faux recruteurs qui demandent de passer sur WhatsApp."),
    ("fr", "lure.off_platform", "Le signal est faible dans la salle, nous parlerons plus fort."),
    ("fr", "lure.secrecy", "Vos données personnelles sont traitées de manière confidentielle."),
    ("fr", "lure.nonpublic_request", "Nous ne vous demanderons jamais de documents internes ou confidentiels."),
    ("fr", "lure.install_software", "L'entretien se fait dans votre navigateur, aucune installation n'est nécessaire."),
    ("fr", "lure.credential_request", "Nous ne vous demanderons jamais votre mot de passe."),
    ("fr", "lure.cash_crypto_gifts", "Attention aux escrocs qui proposent de vous payer en bitcoins."),
    # German
    ("de", "lure.paid_reports", "Leider können wir kein Honorar für Ihren Bericht zahlen."),
    (
        "de",
        "lure.paid_reports",
        "Festanstellung in München, Jahresgehalt 80.000 Euro brutto, für Ihre Analyse-Erfahrung.",
    ),
    ("de", "lure.paid_travel", "Reisekosten werden leider nicht übernommen, die Teilnahme am Forum ist kostenlos."),
    (
        "de",
        "lure.paid_travel",
        "Die Reisekosten werden nach Bundesreisekostengesetz gegen Belege erstattet, bis zu 300 Euro.",
    ),
    ("de", "lure.off_platform", "Vorsicht vor angeblichen Headhuntern, die auf WhatsApp wechseln wollen."),
    ("de", "lure.secrecy", "Ihre Bewerbung wird vertraulich behandelt."),
    ("de", "lure.nonpublic_request", "Wir werden Sie niemals nach vertraulichen Unterlagen fragen."),
    ("de", "lure.install_software", "Das Gespräch läuft im Browser, Sie müssen nichts installieren."),
    ("de", "lure.credential_request", "Wir fragen niemals nach Ihrem Passwort."),
    ("de", "lure.cash_crypto_gifts", "Das BfV warnt vor Betrügern, die Zahlungen in Bitcoin anbieten."),
    # Spanish
    ("es", "lure.paid_reports", "No podemos ofrecer honorarios por su informe."),
    (
        "es",
        "lure.paid_reports",
        "Puesto indefinido en Madrid, salario de 50.000 euros al año, para su perfil de análisis.",
    ),
    ("es", "lure.paid_travel", "Lamentablemente no podemos cubrir los gastos del viaje ni el hotel."),
    ("es", "lure.paid_travel", "Los gastos de viaje corren a su cargo; el hotel tiene tarifa especial."),
    ("es", "lure.off_platform", "Cuidado con los falsos reclutadores que piden pasar a WhatsApp."),
    ("es", "lure.nonpublic_request", "Nunca le pediremos documentos internos ni confidenciales."),
    ("es", "lure.install_software", "La entrevista es en el navegador, no necesita instalar nada."),
    ("es", "lure.credential_request", "Nunca le pediremos su contraseña."),
    # Italian
    ("it", "lure.paid_reports", "Non possiamo offrire alcun compenso per la sua relazione."),
    (
        "it",
        "lure.paid_reports",
        "Posizione a tempo indeterminato, RAL 50.000 euro lordi annui, per la sua esperienza di analisi.",
    ),
    ("it", "lure.paid_travel", "Purtroppo non possiamo coprire le spese di viaggio né l'hotel."),
    ("it", "lure.paid_travel", "Il viaggio è a sue spese; l'hotel ha una tariffa convenzionata."),
    ("it", "lure.off_platform", "Attenzione ai falsi recruiter che chiedono di passare su WhatsApp."),
    ("it", "lure.nonpublic_request", "Non le chiederemo mai documenti interni o riservati."),
    ("it", "lure.install_software", "Il colloquio si svolge nel browser, non deve installare nulla."),
    ("it", "lure.credential_request", "Non le chiederemo mai la password."),
    # Dutch
    ("nl", "lure.paid_reports", "Wij kunnen helaas geen vergoeding bieden voor uw notitie."),
    ("nl", "lure.paid_reports", "Vaste baan in Utrecht, salaris 60.000 euro per jaar, voor uw analyse-ervaring."),
    ("nl", "lure.paid_travel", "Helaas kunnen wij geen reiskosten vergoeden en het hotel niet betalen."),
    ("nl", "lure.paid_travel", "De reis is op eigen kosten; declaratie tot een maximum van 200 euro."),
    ("nl", "lure.off_platform", "Pas op voor nep-recruiters die vragen om naar WhatsApp over te stappen."),
    ("nl", "lure.nonpublic_request", "Wij zullen u nooit om vertrouwelijke stukken vragen."),
    ("nl", "lure.install_software", "Het gesprek is in de browser, u hoeft niets te installeren."),
    ("nl", "lure.credential_request", "Wij vragen nooit om uw wachtwoord."),
    # Polish
    ("pl", "lure.paid_reports", "Niestety nie możemy zaoferować wynagrodzenia za raport."),
    ("pl", "lure.paid_reports", "Umowa o pracę w Krakowie, 18 000 zł brutto, dla Pani doświadczenia w analizie."),
    ("pl", "lure.paid_travel", "Niestety nie pokrywamy kosztów podróży ani hotelu."),
    ("pl", "lure.paid_travel", "Podróż na własny koszt; hotel ma cenę konferencyjną."),
    ("pl", "lure.off_platform", "Uważajcie na fałszywych rekruterów, którzy proszą o przejście na WhatsApp."),
    ("pl", "lure.nonpublic_request", "Nigdy nie poprosimy o dokumenty wewnętrzne ani poufne."),
    ("pl", "lure.install_software", "Rozmowa odbędzie się w przeglądarce, nie trzeba niczego instalować."),
    ("pl", "lure.credential_request", "Nigdy nie poprosimy o hasło. Nie podawaj hasła nikomu."),
    # issue 12: an official in public, a ministry meeting, an employer's rules, a welcome, a colleague's Teams screen
    (
        "fr",
        "lure.politician_access",
        "Le ministre présentera le rapport lors d'une séance publique ; le service presse vous enverra le programme.",
    ),
    ("de", "lure.politician_access", "Wir treffen uns im Ministerium zu einer vertraulichen Sitzung über das Budget."),
    ("es", "lure.moonlighting", "Compruebe que su empresa permite este tipo de actividad."),
    ("it", "lure.talent_spotting", "I colleghi del team le daranno il benvenuto lunedì."),
    ("nl", "lure.moonlighting", "Controleer of uw werkgever dit soort nevenwerk toestaat."),
    ("pl", "lure.remote_access", "Przenieśmy rozmowę na Teams, będzie łatwiej udostępnić ekran z grafikiem zespołu."),
    # An expert network's compliance text: nothing confidential to be shared (as the English rule)
    (
        "de",
        "lure.paid_reports",
        "Wir vergüten Ihnen das Gespräch mit 300 Euro. Laut Compliance dürfen Sie keine internen Informationen teilen.",
    ),
    (
        "nl",
        "lure.paid_reports",
        "U krijgt 250 euro voor uw advies. Volgens onze compliance-regels mag u geen vertrouwelijke informatie delen.",
    ),
    (
        "it",
        "lure.paid_reports",
        "Le offriamo 300 euro per il suo parere; non deve condividere alcuna informazione riservata (compliance).",
    ),
    # What every invited speaker of a public event gets
    (
        "de",
        "lure.paid_travel",
        "Wie bei allen Referenten übernehmen wir Reise und Hotel; das Programm ist online veröffentlicht.",
    ),
    ("nl", "lure.paid_travel", "Zoals voor alle sprekers vergoeden wij reis en hotel; het programma staat online."),
    ("pl", "lure.paid_travel", "Jak wszystkim prelegentom pokrywamy podróż i hotel; program jest opublikowany."),
    (
        "es",
        "lure.paid_travel",
        "Como a todos los ponentes, le cubrimos el viaje y el hotel; el programa está publicado.",
    ),
    # A security warning in German whose next sentence says what "they" offer
    (
        "de",
        "lure.paid_travel",
        "Vorsicht vor falschen Recruitern. Sie bieten oft eine komplett bezahlte Reise mit Hotel an.",
    ),
    ("de", "lure.nonpublic_request", "Vertrauliche Unterlagen brauchen wir dafür nicht."),
    # user research in other words: improving the sender's own app, a voucher as thanks
    (
        "de",
        "lure.cash_crypto_gifts",
        "Wir wollen unsere Reise-App verbessern. Als Dankeschön gibt es einen Gutschein über 15 €.",
    ),
    (
        "nl",
        "lure.cash_crypto_gifts",
        "We willen onze fietsapp verbeteren. Als bedankje krijgt u een cadeaubon van 15 euro.",
    ),
    # an IT desk's password notice; the sender sharing their own screen; a programme one can read
    ("de", "lure.credential_request", "Ihr Kennwort läuft bald ab; ändern Sie es im Self-Service-Portal."),
    ("nl", "lure.remote_access", "Zullen we naar Teams? Dan kan ik mijn scherm delen met de begroting."),
    ("de", "lure.paid_travel", "Wir übernehmen Flug und Hotel. Das Programm finden Sie unter tagung.example/programm."),
    ("it", "lure.off_platform", "Circolano messaggi di sedicenti recruiter che chiedono di passare su WhatsApp."),
    ("pl", "lure.off_platform", "Krążą wiadomości rzekomych rekruterów, którzy proszą o przejście na WhatsApp."),
]

FAMILIES = {
    "lure.paid_reports",
    "lure.paid_travel",
    "lure.off_platform",
    "lure.secrecy",
    "lure.nonpublic_request",
    "lure.install_software",
    "lure.credential_request",
    "lure.politician_access",
    "lure.talent_spotting",
    "lure.moonlighting",
}


@pytest.mark.parametrize(
    ("code", "detector", "text"), POSITIVE, ids=[f"{c}-{d}-{i}" for i, (c, d, _) in enumerate(POSITIVE)]
)
def test_when_lure_in_language_then_detector_fires(code: str, detector: str, text: str) -> None:
    assert detector in fired(code, text)


@pytest.mark.parametrize(
    ("code", "detector", "text"), NEGATIVE, ids=[f"{c}-{d}-{i}" for i, (c, d, _) in enumerate(NEGATIVE)]
)
def test_when_negated_warned_or_genuine_then_detector_quiet(code: str, detector: str, text: str) -> None:
    assert detector not in fired(code, text)


def test_every_language_covers_every_required_family_with_positives_and_negatives() -> None:
    for code in sorted(covered() - {"en"}):
        rules = _RULES.rules(code)
        assert rules is not None
        assert {d.meta.id for d in rules[0]} >= FAMILIES, code
        assert {d for c, d, _ in POSITIVE if c == code} >= FAMILIES, code
        assert len([1 for c, _, _ in NEGATIVE if c == code]) >= 8, code


def test_language_rules_take_the_english_rules_meta() -> None:
    english = {d.meta.id: d.meta for d in _ENGLISH}
    for code in sorted(covered() - {"en"}):
        rules = _RULES.rules(code)
        assert rules is not None
        for d in rules[0]:
            assert d.meta == english[d.meta.id] and d.language == code


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("language: fr\nrules:\n  - id: lure.nope\n    source: x\n    match: {all_of: [['a']]}\n", "not an English"),
        ("language: fr\nrules:\n  - id: lure.secrecy\n    match: {all_of: [['a']]}\n", "needs a source"),
        (
            "language: fr\nrules:\n  - id: lure.secrecy\n    source: x\n    match: {all_of: [['\\bétranger']]}\n",
            "never matches",
        ),
        ("language: de\nrules: []\n", "language: fr"),
    ],
)
def test_when_language_file_is_broken_then_load_names_the_fault(bad: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load(bad, "test.yaml", "fr", {d.meta.id: d for d in _ENGLISH})


@pytest.mark.parametrize(
    ("text", "code", "read"),
    [
        ("Hi Tom, we would like to invite you to speak at our conference in London next spring.", "en", True),
        ("Bonjour, nous serions ravis de vous inviter à notre conférence à Paris au printemps prochain.", "fr", True),
        ("Guten Tag, wir möchten Sie gern zu unserer Konferenz in Berlin im nächsten Frühjahr einladen.", "de", True),
        ("Hola, nos gustaría invitarle a nuestra conferencia en Madrid la próxima primavera.", "es", True),
        ("Buongiorno, vorremmo invitarla alla nostra conferenza a Roma la prossima primavera.", "it", True),
        ("Goedemiddag, wij willen u graag uitnodigen voor ons congres in Amsterdam komend voorjaar.", "nl", True),
        ("Dzień dobry, chcielibyśmy zaprosić Panią na naszą konferencję w Warszawie wiosną.", "pl", True),
        ("Olá, gostaríamos de o convidar para a nossa conferência em Lisboa na próxima primavera.", "pt", False),
        ("Здравствуйте, мы хотели бы пригласить вас на нашу конференцию в Москве весной.", "ru", False),
        ("您好，我们想邀请您参加明年春天在北京举行的会议，所有费用由我们承担。", "zh", False),
        ("Merci !", "en", True),  # too short to tell: English
    ],
)
def test_when_text_in_language_then_identified(text: str, code: str, read: bool) -> None:
    found = identify(text)
    assert (found.code, found.read) == (code, read)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.default()


HOSTILE = [
    "Bonjour, mon client rémunère vos notes sur les négociations : 2 000 euros par note, payables en bitcoins. "
    "Pourriez-vous aussi me transmettre les documents internes avant leur publication ? Cela reste entre nous.",
    "Guten Tag, mein Mandant zahlt Ihnen 2.000 Euro pro Bericht über die internen Beratungen. Könnten Sie uns "
    "die Entwürfe schicken, bevor sie veröffentlicht werden? Das bleibt natürlich unter uns.",
    "Hola, le pagamos 2.000 euros por cada informe sobre las reuniones internas. ¿Podría enviarnos los borradores "
    "antes de que se publiquen? Todo queda entre nosotros.",
    "Buongiorno, le paghiamo 2.000 euro per ogni relazione sulle riunioni interne. Potrebbe inviarci le bozze "
    "prima che vengano pubblicate? Resta tra noi.",
    "Goedendag, wij betalen u 2.000 euro per notitie over de interne overleggen. Kunt u ons de concepten sturen "
    "voordat ze openbaar worden? Dit blijft tussen ons.",
    "Dzień dobry, płacimy Panu 2000 euro za każdy raport o wewnętrznych naradach. Czy mógłby Pan przesłać projekty "
    "dokumentów przed publikacją? To zostanie między nami.",
]
BENIGN = [
    "Bonjour, je recrute un ingénieur systèmes pour un CDI à Lyon, salaire selon profil. Seriez-vous disponible "
    "pour un appel cette semaine ?",
    "Guten Tag, wir laden Sie herzlich zu unserer Tagung in Köln ein. Leider können wir keine Reisekosten übernehmen.",
    "Hola, le invitamos a nuestro congreso en Sevilla. Lamentablemente no podemos cubrir los gastos de viaje.",
    "Buongiorno, la invitiamo al nostro convegno di Bologna. Purtroppo non possiamo coprire le spese di viaggio.",
    "Goedemiddag, wij nodigen u uit voor ons congres in Utrecht. Helaas kunnen wij geen reiskosten vergoeden.",
    "Dzień dobry, zapraszamy na naszą konferencję w Gdańsku. Niestety nie możemy pokryć kosztów podróży.",
]


@pytest.mark.parametrize("text", HOSTILE, ids=["fr", "de", "es", "it", "nl", "pl"])
def test_when_hostile_approach_in_language_then_medium_or_high(engine: Engine, text: str) -> None:
    a = engine.assess(Approach(id="x", text=text))
    assert a.band in ("medium", "high") and a.language is not None and a.language.read


@pytest.mark.parametrize("text", BENIGN, ids=["fr", "de", "es", "it", "nl", "pl"])
def test_when_benign_approach_in_language_then_low(engine: Engine, text: str) -> None:
    assert engine.assess(Approach(id="x", text=text)).band == "low"


def test_when_language_not_covered_then_verdict_says_so_and_band_is_not_raised(engine: Engine) -> None:
    text = "Olá, sou recrutadora e procuro um engenheiro de sistemas para um contrato sem termo em Lisboa."
    a = engine.assess(Approach(id="x", text=text))
    assert a.language is not None and (a.language.code, a.language.read) == ("pt", False)
    assert a.advice is not None and a.advice.startswith("Written in Portuguese, which the phrase rules do not read")
    assert a.band == "low"
    doc = a.to_json_dict()
    Draft202012Validator(json.loads(SCHEMA.read_text("utf-8"))).validate(doc)
    assert doc["language"] == {"code": "pt", "name": "Portuguese", "read": False}


def test_when_english_then_no_language_field_and_same_in_bulk(engine: Engine) -> None:
    cases = [Approach(id=str(i), text=t) for i, t in enumerate(["Hi, we pay £500 per note on your views.", *HOSTILE])]
    one = [engine.assess(a, meaning="unsure").to_json_dict() for a in cases]
    assert "language" not in one[0]
    assert [a.to_json_dict() for a in engine.assess_many(cases, batch=3)] == one


def test_when_english_and_french_rules_both_fire_then_one_finding(engine: Engine) -> None:
    text = (
        "Bonjour, nous vous payons 1 500 euros par note sur les réunions du ministère. "
        "We pay you GBP 1,500 for short notes on your views."
    )
    a = engine.assess(Approach(id="x", text=text))
    assert [f.detector for f in a.findings].count("lure.paid_reports") == 1


def test_language_rules_pickle_for_dask_workers(engine: Engine) -> None:
    copy = pickle.loads(pickle.dumps(engine))
    text = HOSTILE[0]
    assert (
        copy.assess(Approach(id="x", text=text)).to_json_dict()
        == engine.assess(Approach(id="x", text=text)).to_json_dict()
    )


TRAVEL_AND_FEE = [
    "Nous invitons quelques spécialistes à Doha pour deux jours : avion et hôtel offerts, et 2 000 € pour la note "
    "écrite que vous nous remettrez.",
    "Invitiamo alcuni specialisti a Doha per due giorni: aereo e albergo pagati, e 2.000 € per la nota scritta che "
    "ci consegnerà.",
    "Zapraszamy kilku specjalistów do Dohy na dwa dni: samolot i hotel opłacone, do tego 2000 euro za pisemną "
    "notatkę, którą Pan przygotuje.",
]


@pytest.mark.parametrize("text", TRAVEL_AND_FEE, ids=["fr", "it", "pl"])
def test_when_paid_travel_and_a_fee_for_writing_in_language_then_not_low(engine: Engine, text: str) -> None:
    """Two medium lures where the English wording model cannot read: medium at least (scoring/model.py)."""
    a = engine.assess(Approach(id="x", text=text))
    assert {"lure.paid_travel", "lure.paid_reports"} <= {f.detector for f in a.findings}
    assert a.band in ("medium", "high")
