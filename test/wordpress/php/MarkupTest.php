<?php
/**
 * What the shortcodes and blocks print, and what WordPress's filters keep of the oovoo elements.
 *
 * @package oovoo
 */

/**
 * Every attribute escaped, the log-in message for visitors, the tags kept for the roles that may place them.
 */
class MarkupTest extends OovooTestCase {

	protected function tearDown(): void {
		wp_dequeue_script( 'oovoo-elements' );
		parent::tearDown();
	}

	public function test_a_visitor_sees_the_log_in_message_and_no_script() {
		$this->set_up_settings();
		$html = do_shortcode( '[oovoo_conference id="team"]' );
		$this->assertStringContainsString( 'Log in to join the video call.', $html );
		$this->assertStringContainsString( 'wp-login.php', $html );
		$this->assertStringNotContainsString( '<oovoo-', $html );
		$this->assertFalse( wp_script_is( 'oovoo-elements', 'enqueued' ) );
	}

	public function test_names_and_attributes_are_escaped() {
		$this->set_up_settings();
		$this->answer_with_session( 'x' );
		$user = $this->user( 'mallory', 'author', '"><script>alert(1)</script>' );
		wp_set_current_user( $user->ID );
		$html = do_shortcode( '[oovoo_conference id=\'a" onload="b\' layout="grid"]' );
		$this->assertStringNotContainsString( '<script>', $html );
		// WordPress keeps '">' of that name (it strips the tags): escaped, it ends no attribute.
		$this->assertStringContainsString( 'display-name="&quot;&gt;"', $html );
		$this->assertStringContainsString( 'conference-id="a&quot; onload=&quot;b"', $html );
		$this->assertTrue( wp_script_is( 'oovoo-elements', 'enqueued' ) );
	}

	public function test_the_conference_takes_its_layout_and_the_site_defaults() {
		$this->set_up_settings(
			array(
				'theme'    => 'light',
				'prejoin'  => true,
				'autojoin' => false,
			)
		);
		$this->answer_with_session( 'x' );
		wp_set_current_user( $this->user( 'ann', 'author' )->ID );
		$html = do_shortcode( '[oovoo_conference id="team" layout="speaker"]' );
		$this->assertMatchesRegularExpression( '/<oovoo-conference conference-id="team" layout="speaker" resolution="high" theme="light" prejoin><\/oovoo-conference>/', $html );
		$this->assertStringContainsString( 'layout="grid"', do_shortcode( '[oovoo_conference id="team" layout="carousel"]' ) );
	}

	public function test_the_block_renders_what_the_shortcode_does() {
		$this->set_up_settings();
		$this->answer_with_session( 'x' );
		wp_set_current_user( $this->user( 'ann', 'author' )->ID );
		$block     = do_blocks( '<!-- wp:oovoo/conference {"id":"team","layout":"spotlight"} /-->' );
		$shortcode = do_shortcode( '[oovoo_conference id="team" layout="spotlight"]' );
		$this->assertSame( $shortcode, trim( $block ) );
		$this->assertTrue( WP_Block_Type_Registry::get_instance()->is_registered( 'oovoo/chat' ) );
	}

	public function test_the_chat_names_logins_as_user_ids_and_leaves_the_reader_out() {
		$this->set_up_settings();
		$this->answer_with_session( 'x' );
		$ann  = $this->user( 'ann', 'author' );
		$eddie = $this->user( 'eddie', 'editor' );
		wp_set_current_user( $ann->ID );
		$html = do_shortcode( '[oovoo_chat to="ann, eddie,someone-else,eddie"]' );
		$this->assertStringContainsString( sprintf( '<oovoo-chat to="%d,someone-else">', $eddie->ID ), $html );
	}

	public function test_the_script_tag_names_its_server() {
		$settings = $this->set_up_settings( array( 'script_url' => 'https://cdn.example.com/oovoo-elements@0.1.0/dist/oovoo.min.js' ) );
		$tag      = oovoo_script_tag( "<script src='https://cdn.example.com/oovoo-elements@0.1.0/dist/oovoo.min.js' id='oovoo-elements-js'></script>", 'oovoo-elements' );
		$this->assertSame( sprintf( "<script data-server=\"%s\" src='https://cdn.example.com/oovoo-elements@0.1.0/dist/oovoo.min.js' id='oovoo-elements-js'></script>", $settings['server_url'] ), $tag );
		$this->assertSame( '<script src="x.js"></script>', oovoo_script_tag( '<script src="x.js"></script>', 'another-script' ) );
	}

	public function test_post_filters_keep_the_elements_for_writers_only_and_never_a_token() {
		$markup = '<oovoo-login session-token="stolen" display-name="A"><oovoo-conference conference-id="r" layout="grid" onclick="evil()"></oovoo-conference></oovoo-login>';
		wp_set_current_user( $this->user( 'ann', 'author' )->ID );
		$this->assertSame(
			'<oovoo-login display-name="A"><oovoo-conference conference-id="r" layout="grid"></oovoo-conference></oovoo-login>',
			wp_kses_post( $markup )
		);
		wp_set_current_user( $this->user( 'sam', 'subscriber' )->ID );
		$this->assertSame( '', wp_kses_post( $markup ) );
	}
}
