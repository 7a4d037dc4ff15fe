import type { Messages } from './en';

/** Korean, in the polite 해요체 of Korean product UIs. */
export const ko: Messages = {
  'error.config_invalid': '로그인 설정에 문제가 있어요. 사이트 관리자에게 알려 주세요.',
  'error.unknown_provider': '지원하지 않는 로그인 방법이에요.',
  'error.session_not_found': '이미 끝난 세션이거나 내 세션이 아니에요.',
  'error.invalid_request': '로그인 요청이 올바르지 않아요. 다시 시도해 주세요.',
  'error.state_mismatch': '이 사이트에서 시작한 로그인이 아니에요. 다시 시도해 주세요.',
  'error.login_expired': '로그인 시간이 지났거나 이미 처리된 요청이에요. 다시 시도해 주세요.',
  'error.access_denied': '로그인 서비스 화면에서 취소를 눌렀어요. 로그인하려면 다시 시도해 주세요.',
  'error.provider_error': '로그인 서비스에서 요청을 거절했어요.',
  'error.token_exchange_failed':
    '로그인 서비스에서 로그인을 처리하지 못했어요. 다시 시도해 주세요.',
  'error.profile_fetch_failed':
    '로그인 서비스에서 프로필 정보를 받지 못했어요. 다시 시도해 주세요.',
  'error.id_token_invalid': '로그인 서비스에서 받은 인증 정보가 올바르지 않아요.',
  'error.refresh_failed': '연결된 서비스의 이용 권한을 갱신하지 못했어요. 다시 시도해 주세요.',
  'error.reauth_required': '이 서비스와의 연결이 만료됐어요. 이 서비스로 다시 로그인해 주세요.',
  'error.revoke_failed':
    '로그인 서비스에서 연결 해제를 확인해 주지 않았어요. 잠시 후 다시 시도해 주세요.',
  'error.identity_in_use': '이 계정은 이미 다른 사용자에게 연결되어 있어요.',
  'error.last_identity':
    '지금 로그인할 수 있는 유일한 방법이라 연결을 해제할 수 없어요. 다른 계정을 먼저 연결해 주세요.',
  'error.signup_closed': '지금은 새로 가입할 수 없어요.',
  'error.link_pending':
    '이 이메일 주소로 가입된 계정이 있어요. 전에 쓰던 방법으로 로그인하면 이 계정을 연결할 수 있어요.',
  'error.session_unavailable': '지금은 로그인할 수 없어요. 잠시 후 다시 시도해 주세요.',
  'error.csrf_failed': '요청을 확인하지 못했어요. 페이지를 새로고침한 뒤 다시 시도해 주세요.',
  'error.rate_limited': '로그인 시도가 너무 많아요. 잠시 후 다시 시도해 주세요.',
  'error.unauthenticated': '로그인이 필요해요.',
  'error.token_audience_mismatch': '다른 앱에서 발급된 로그인 토큰이에요.',
  'error.webhook_invalid': '로그인 서비스에서 보낸 알림인지 확인하지 못했어요.',
  'error.account_disabled': '이용이 중지된 계정이에요. 다시 이용하려면 서비스에 문의해 주세요.',
  'error.user_not_found': '없는 사용자예요.',
  'error.deletion_in_progress': '이 계정은 이미 탈퇴 처리 중이에요.',
  'error.deletion_refused': '지금은 이 계정을 탈퇴할 수 없어요.',
  'error.deletion_failed':
    '로그인 서비스에 연결하지 못해 탈퇴를 마치지 못했어요. 계정은 그대로 남아 있으니 다시 시도해 주세요.',
  'error.scope_not_allowed': '이 서비스에서 요청하지 않는 권한이에요.',
  'error.consent_required': '아직 동의하지 않은 항목이 필요해요.',
  'error.recent_login_required': '계속하려면 다시 로그인해 주세요.',
  'error.provider_unavailable':
    '지금 이 로그인 서비스가 응답하지 않아요. 잠시 후 다시 시도하거나 다른 방법으로 로그인해 주세요.',
  'error.wrong_identity':
    '다른 계정으로 로그인했어요. 이 서비스에 로그인한 계정으로 다시 시도해 주세요.',
  'error.unknown': '로그인을 완료하지 못했어요.',
  'title.default': '로그인하지 못했어요',
  'title.access_denied': '로그인을 취소했어요',
  'title.identity_in_use': '이미 연결된 계정이에요',
  'title.last_identity': '연결을 해제할 수 없어요',
  'title.revoke_failed': '연결 해제를 확인하지 못했어요',
  'title.login_expired': '로그인 시간이 지났어요',
  'title.rate_limited': '잠시 후 다시 시도해 주세요',
  'title.session_unavailable': '지금은 로그인할 수 없어요',
  'title.signup_closed': '지금은 가입할 수 없어요',
  'title.link_pending': '이미 가입된 계정이 있어요',
  'title.account_disabled': '이용이 중지된 계정이에요',
  'title.deletion_failed': '탈퇴하지 못했어요',
  'title.wrong_identity': '다른 계정이에요',
  'title.provider_unavailable': '지금은 이 방법으로 로그인할 수 없어요',
  'reason.cookie_missing':
    '브라우저가 로그인 쿠키를 보내지 않았어요. 쿠키가 차단되어 있거나, 이 사이트의 다른 주소에서 로그인을 시작했을 수 있어요.',
  'reason.client_rejected':
    '이 사이트의 로그인 설정에 문제가 있어 다시 시도해도 해결되지 않아요. 사이트에 알려 주세요.',
  'reason.redirect_mismatch':
    '이 사이트의 로그인 설정에 문제가 있어 다시 시도해도 해결되지 않아요. 사이트에 알려 주세요.',
  'reason.scope_not_configured':
    '이 사이트가 로그인 서비스에 설정되지 않은 정보를 요청했어요. 사이트에 알려 주세요.',
  'reason.code_used': '이미 처리됐거나 시간이 너무 지난 로그인이에요. 다시 로그인해 주세요.',
  'reason.provider_down': '로그인 서비스에 문제가 있어요. 잠시 후 다시 시도해 주세요.',
  'reason.session_lost': '다시 돌아오기 전에 서버의 로그인 세션이 끝났어요.',
  'reason.state_used': '이미 처리됐거나 이전 시도에서 온 로그인 응답이에요.',
  'reason.token_used': '이미 사용한 로그인 토큰이에요. 앱에서 다시 로그인해 주세요.',
  'reason.flow_expired': '로그인하는 데 10분 넘게 걸렸어요.',
  'reason.not_https':
    "이 사이트는 https 주소로 설정되어 있는데 로그인 요청이 http로 들어와서, 브라우저가 로그인 쿠키를 저장하지 못했어요. 사이트를 TLS를 처리하는 프록시 뒤에서 운영하고 있다면 app.set('trust proxy', 1)을 호출해 주세요.",
  'page.code': '오류 코드',
  'formPost.title': '로그인을 마무리하는 중',
  'formPost.continue': '계속',
  'inApp.title': '브라우저에서 열어 주세요',
  'inApp.why':
    '{app} 안에서는 {provider} 로그인을 할 수 없어요. 휴대폰의 브라우저에서 계속해 주세요.',
  'inApp.open': '브라우저에서 열기',
  'inApp.howIos':
    '화면 가장자리의 ⋯ 또는 공유 버튼을 누르고 Safari로 열기를 선택하거나, 링크를 복사해 Safari에 붙여 넣어 주세요.',
  'inApp.how':
    '⋯ 메뉴에서 브라우저로 열기를 선택하거나, 링크를 복사해 브라우저에 붙여 넣어 주세요.',
  'inApp.copy': '링크 복사',
  'inApp.copied': '복사했어요',
  'page.otherWays': '다른 방법으로 로그인:',
  'page.backSignedIn': '앱으로 돌아가기',
  'page.backSignedOut': '홈으로 돌아가기',
  'link.title': '{provider} 계정 연결',
  'link.signedOut':
    '이 이메일 주소로 가입된 계정이 이미 있어요. {provider} 계정을 연결하려면 전에 쓰던 방법으로 로그인해 주세요.',
  'link.signInWith': '{provider} 계정으로 로그인',
  'link.confirm': '이 {provider} 계정을 내 계정에 연결할까요? 본인 계정일 때만 계속해 주세요.',
  'link.account': '계정',
  'link.email': '이메일',
  'link.noEmail': '(없음)',
  'link.id': 'ID',
  'link.connect': '연결하기',
  'link.cancel': '취소',
  'delete.title': '회원 탈퇴',
  'delete.intro':
    '탈퇴하면 이 사이트의 계정이 삭제돼요. 프로필과 연결된 계정, 모든 기기의 로그인이 함께 사라지고 되돌릴 수 없어요.',
  'delete.identities': '연결된 계정 (각 서비스에서도 연결이 해제돼요):',
  'delete.confirm': '탈퇴하기',
  'delete.cancel': '취소',
  'delete.doneTitle': '탈퇴가 완료됐어요',
  'delete.done': '계정과 연결된 정보를 모두 삭제했고, 모든 기기에서 로그아웃했어요.',
};
