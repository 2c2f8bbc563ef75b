import { describe, expect, it } from 'vitest';
import { newSurveyKind, newSurveyMoment, surveyContact, throttleSince } from '../../../api/domain/new-survey.js';

describe('a new survey', () => {
  it('keeps its contact in lower case and checks fatigue only with an address', () => {
    expect(surveyContact('Ana@Client.Example')).toBe('ana@client.example');
    expect(surveyContact(undefined)).toBeNull();
    expect(throttleSince({ contactEmail: 'a@b.example', throttleSince: 50 })).toBe(50);
    expect(throttleSince({ contactEmail: null, throttleSince: 50 })).toBeNull();
    expect(throttleSince({ contactEmail: 'a@b.example' })).toBeNull();
  });

  it('takes the site kind unless asked for another, and a scale only for CSAT', () => {
    expect(newSurveyKind({}, { kind: 'csat', scale: 5 })).toEqual({ kind: 'csat', scale: 5 });
    expect(newSurveyKind({ kind: 'csat', scale: 10 }, { kind: 'reaction', scale: null })).toEqual({ kind: 'csat', scale: 10 });
    expect(newSurveyKind({ kind: 'nps', scale: 10 }, { kind: 'csat', scale: 5 })).toEqual({ kind: 'nps', scale: null });
    expect(newSurveyMoment({})).toBe('ticket-closed');
    expect(newSurveyMoment({ moment: 'onboarding' })).toBe('onboarding');
  });
});
