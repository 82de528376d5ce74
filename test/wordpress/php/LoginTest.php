<?php
/**
 * oovoo_server_login() and who gets which session: the spec's server-to-server login, against our real
 * server where it can be, and what a refusal means in words.
 *
 * @package oovoo
 */

/**
 * The login call and the identity a page signs in with.
 */
class LoginTest extends OovooTestCase {

	public function test_it_posts_the_spec_request_with_this_site_as_origin() {
		$settings = $this->set_up_settings();
		$token    = $this->answer_with_session( '42' );
		$session  = oovoo_server_login( $settings, '42', 'host' );

		$this->assertSame( $token, $session['token'] );
		$this->assertSame( '42', $session['claims']['sub'] );
		$this->assertCount( 1, $this->requests );
		list( $url, $args ) = $this->requests[0];
		$parts              = wp_parse_url( $url );
		parse_str( $parts['query'], $query );
		$this->assertSame( getenv( 'OOVOO_TEST_SERVER' ) . '/1.0/sso/app/login/s2s', strtok( $url, '?' ) );
		$this->assertSame(
			array(
				'at'  => getenv( 'OOVOO_TEST_WEB_TOKEN' ),
				'ct'  => '1',
				'cst' => '2',
				'sv'  => '1.8',
				'cv'  => '0.2',
			),
			$query
		);
		$this->assertSame( 'POST', $args['method'] );
		$this->assertSame( home_url(), $args['headers']['Origin'] );
		$this->assertSame( 'application/json', $args['headers']['Content-Type'] );
		$this->assertSame(
			array(
				'payload' => array(
					'user_id' => '42',
					'role'    => 'host',
				),
			),
			json_decode( $args['body'], true )
		);
	}

	public function test_our_server_signs_a_user_in() {
		$session = oovoo_server_login( $this->set_up_settings(), '7', 'participant' );
		$this->assertIsArray( $session, is_wp_error( $session ) ? $session->get_error_message() : '' );
		$this->assertSame( '7', $session['claims']['sub'] );
		$this->assertSame( getenv( 'OOVOO_TEST_APP_ID' ), $session['claims']['app'] );
		$this->assertGreaterThan( time(), $session['claims']['exp'] );
	}

	public function test_a_refused_web_token_is_explained_in_words() {
		$settings = $this->set_up_settings( array( 'web_token' => 'ovt1.AAAAAAAAAAAAAAAA.' . str_repeat( 'B', 43 ) ) );
		$session  = oovoo_server_login( $settings, '7' );
		$this->assertWPError( $session );
		$this->assertStringContainsString( 'Paste a web token of this app', $session->get_error_message() );
		$this->assertSame( -30000, $session->get_error_data()['code'], 'AuthenticationFailed: no such token' );
	}

	public function test_a_site_the_app_does_not_permit_is_told_how_to_permit_it() {
		$settings = $this->set_up_settings(
			array(
				'app_id'    => getenv( 'OOVOO_TEST_OTHER_APP_ID' ),
				'web_token' => getenv( 'OOVOO_TEST_OTHER_WEB_TOKEN' ),
			)
		);
		$session  = oovoo_server_login( $settings, '7' );
		$this->assertWPError( $session );
		$this->assertStringContainsString(
			'oovoo-server app domain add --app ' . getenv( 'OOVOO_TEST_OTHER_APP_ID' ) . ' --domain 127.0.0.1',
			$session->get_error_message()
		);
	}

	public function test_a_server_that_does_not_answer_is_explained_in_words() {
		$session = oovoo_server_login( $this->set_up_settings( array( 'server_url' => 'http://127.0.0.1:1' ) ), '7' );
		$this->assertWPError( $session );
		$this->assertStringContainsString( 'Could not reach the oovoo server at http://127.0.0.1:1', $session->get_error_message() );
	}

	public function test_an_unconfigured_plugin_says_so_and_calls_nothing() {
		$this->count_requests();
		$session = oovoo_server_login( $this->set_up_settings( array( 'web_token' => '' ) ), '7' );
		$this->assertSame( 'oovoo_not_configured', $session->get_error_code() );
		$this->assertSame( array(), $this->requests );
	}

	public function test_editors_host_and_authors_take_part_with_their_user_ids_or_logins() {
		$settings = $this->set_up_settings();
		$editor   = $this->user( 'eddie', 'editor', 'Eddie' );
		$author   = $this->user( 'ann', 'author', 'Ann' );
		$this->assertTrue( oovoo_user_may_host( $editor, $settings ) );
		$this->assertFalse( oovoo_user_may_host( $author, $settings ) );
		$this->assertFalse( oovoo_user_may_host( $editor, array_merge( $settings, array( 'hosts' => 'administrators' ) ) ) );
		$this->assertSame( (string) $editor->ID, oovoo_user_id( $editor, $settings ) );
		$this->assertSame( 'eddie', oovoo_user_id( $editor, array_merge( $settings, array( 'id_mode' => 'login' ) ) ) );

		wp_set_current_user( $editor->ID );
		$identity = oovoo_current_identity( $settings );
		$this->assertSame( 'host', $identity['role'] );
		$this->assertSame( 'Eddie', $identity['display_name'] );
		$this->assertSame( 'host', oovoo_token_claims( $identity['token'] )['role'] );
	}

	public function test_an_app_that_grants_no_host_still_lets_an_editor_in_as_a_participant() {
		$settings = $this->set_up_settings(
			array(
				'app_id'    => getenv( 'OOVOO_TEST_OPEN_APP_ID' ),
				'web_token' => getenv( 'OOVOO_TEST_OPEN_WEB_TOKEN' ),
			)
		);
		wp_set_current_user( $this->user( 'eddie', 'editor' )->ID );
		$identity = oovoo_current_identity( $settings );
		$this->assertIsArray( $identity, is_wp_error( $identity ) ? $identity->get_error_message() : '' );
		$this->assertSame( 'participant', $identity['role'] );
		$this->assertArrayNotHasKey( 'role', oovoo_token_claims( $identity['token'] ) );

		$test = oovoo_test_connection( $settings, wp_get_current_user() );
		$this->assertFalse( $test['ok'] );
		$this->assertStringContainsString( 'Hosts cannot be made', $test['message'] );
		$this->assertStringContainsString( 'client-login --policy none', $test['message'] );
	}

	public function test_a_user_s_session_is_kept_until_near_its_expiry_and_a_guest_s_never() {
		$settings = $this->set_up_settings( array( 'allow_guests' => true ) );
		$this->count_requests();
		wp_set_current_user( $this->user( 'ann', 'author' )->ID );
		$first  = oovoo_current_identity( $settings );
		$second = oovoo_current_identity( $settings );
		$this->assertSame( $first['token'], $second['token'] );
		$this->assertCount( 1, $this->requests );

		wp_set_current_user( 0 );
		$guest   = oovoo_current_identity( $settings );
		$another = oovoo_current_identity( $settings );
		$this->assertMatchesRegularExpression( '/^guest-[a-z0-9]{12}$/', $guest['user_id'] );
		$this->assertNotSame( $guest['user_id'], $another['user_id'] );
		$this->assertSame( 'participant', $guest['role'] );
		$this->assertCount( 3, $this->requests );
	}

	public function test_without_guests_a_visitor_has_no_identity() {
		$this->assertNull( oovoo_current_identity( $this->set_up_settings() ) );
	}

	public function test_test_connection_names_an_app_id_that_does_not_match_the_token() {
		$settings = $this->set_up_settings( array( 'app_id' => 'SOMEOTHERAPP' ) );
		$test     = oovoo_test_connection( $settings, $this->user( 'ann', 'author' ) );
		$this->assertFalse( $test['ok'] );
		$this->assertStringContainsString( 'belongs to the app ' . getenv( 'OOVOO_TEST_APP_ID' ), $test['message'] );
	}

	/**
	 * A WP_Error, or the value shown.
	 *
	 * @param mixed $value What was returned.
	 */
	private function assertWPError( $value ) {
		$this->assertInstanceOf( WP_Error::class, $value, wp_json_encode( $value ) );
	}
}
